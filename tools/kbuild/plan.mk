# Plans: every configs/plans/*.dts compiled to build/plans/*.dtb (tests, make run-xen),
# and the one CONFIG_PLAN names checked with bhplan and linked into the kernel as data.
PLANS_DTS := $(wildcard configs/plans/*.dts)
PLANS_DTSI := $(wildcard configs/plans/*.dtsi)
PLANS_DTB := $(patsubst configs/plans/%.dts,$(O)/plans/%.dtb,$(PLANS_DTS))
PLAN_SRC := $(patsubst "%",%,$(CONFIG_PLAN))
PLAN_DTB := $(O)/plan/plan.dtb
PLAN_OBJ := $(O)/plan/plan_dtb.o
BHPLAN := $(O)/bin/bhplan

$(O)/plans/%.dtb: configs/plans/%.dts $(PLANS_DTSI) $(BHPLAN)
	@mkdir -p $(dir $@)
	@$(BHPLAN) check $<
	@dtc -q -I dts -O dtb -o $@ $<

.PHONY: plans
plans: $(PLANS_DTB)

# The built-in plan: refused at build time if bhplan refuses it (platform rules wait for boot),
# or if it names a program this configuration does not build (rule image-unknown;
# PROGRAMS comes from partitions/Kbuild, tools/kbuild/partitions.mk).
plan_comma := ,
plan_empty :=
plan_space := $(plan_empty) $(plan_empty)
$(PLAN_DTB): $(PLAN_SRC) $(PLANS_DTSI) $(CONFIG_MK) $(BHPLAN)
	@mkdir -p $(dir $@)
	@echo "  PLAN    $(PLAN_SRC)"
	@$(BHPLAN) check $(PLAN_SRC) --programs "$(subst $(plan_space),$(plan_comma),$(PROGRAMS))"
	@dtc -q -I dts -O dtb -o $@ $(PLAN_SRC)

# Raw bytes as a read-only, 8-byte aligned section; symbols _binary_plan_dtb_{start,end}
# (objcopy names them after the file, so it runs inside the folder).
$(PLAN_OBJ): $(PLAN_DTB)
	@cd $(dir $@) && $(KOBJCOPY) -I binary -O elf64-littleaarch64 -B aarch64 \
		--rename-section .data=.rodata.plan,alloc,load,readonly,data,contents \
		--set-section-alignment .data=8 plan.dtb plan_dtb.o
