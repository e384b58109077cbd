# Partition programs (partitions/NAME/, listed in partitions/Kbuild as programs-y):
# static aarch64 EL0 executables on Debian's picolibc, linked at 0x400000 by
# partitions/lib/program.lds, each with the runtime in partitions/lib/. Then the image
# table that embeds them in the kernel (tools/gen-images.sh -> build/images/images.S).
PICOLIBC_SPECS := /usr/lib/picolibc/aarch64-linux-gnu/picolibc.specs
PROGRAMS = $(sort $(programs-y))
PROGRAM_ELFS = $(patsubst %,$(O)/partitions/%.elf,$(PROGRAMS))
PROG_LDS := partitions/lib/program.lds
# The runtime, and the channel writer protocol it shares with the kernel (core/port.c).
RT_SRCS := $(wildcard partitions/lib/*.c) core/port.c
RT_OBJS := $(patsubst %.c,$(O)/prog/%.o,$(RT_SRCS))

# Like the kernel's: same reproducibility flags; FP/SIMD allowed (EL0 state is saved
# per partition); no PIE (linked at a fixed address); sections for --gc-sections.
PCFLAGS = --specs=$(PICOLIBC_SPECS) -std=gnu11 -O2 -Wall -Wextra -Werror -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
	-fno-pic -fno-pie -fno-common -ffunction-sections -fdata-sections \
	-mno-outline-atomics -march=armv8-a -mcpu=cortex-a53 \
	-fstack-protector-strong -fstack-clash-protection --param stack-clash-protection-guard-size=12 \
	-Wframe-larger-than=3072 -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-ffile-prefix-map=$(srctree)/= -fdebug-prefix-map=$(srctree)/= \
	-Iinclude -Ipartitions/lib/include -MMD -MP
PLDFLAGS := --specs=$(PICOLIBC_SPECS) -nostartfiles -static -no-pie -T $(PROG_LDS) \
	-Wl,--build-id=none -Wl,--gc-sections -Wl,-z,max-page-size=4096 -Wl,-z,noexecstack \
	-Wl,--no-undefined -Wl,--sort-section=name -Wl,--strip-debug

$(O)/prog/%.o: %.c $(DEPS_STAMP) tools/kbuild/partitions.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(KCC) $(PCFLAGS) -c $< -o $@

# The runtime's ports and the kernel's port.c include kernel headers by their path.
$(O)/prog/core/port.o $(O)/prog/partitions/lib/ports.o: PCFLAGS += -I.

# Each program's view of the built-in plan: `bhplan header` for the partition that runs
# it (plan_ports.h: port handles, sizes, depths), or an empty one if none does.
PLAN_HDR_DIR := $(O)/plan/include
define plan-header-rule
$(PLAN_HDR_DIR)/$(1)/plan_ports.h: $(PLAN_SRC) $(PLANS_DTSI) $(BHPLAN) $(CONFIG_MK)
	@mkdir -p $$(dir $$@)
	@echo "  HEADER  $$@"
	@part=$$$$($(BHPLAN) show $(PLAN_SRC) | awk '/^partitions/ {p = 1; next} /^$$$$/ {p = 0} \
		p { for (i = 2; i <= NF; i++) if ($$$$i == "$(1)") { print $$$$1; exit } }'); \
	if [ -n "$$$$part" ]; then $(BHPLAN) header $(PLAN_SRC) $$$$part -o $$@; \
	else echo "/* $(1): no partition of the built-in plan runs this program */" > $$@; fi
$(patsubst %.c,$(O)/prog/%.o,$(wildcard partitions/$(1)/*.c)): $(PLAN_HDR_DIR)/$(1)/plan_ports.h
$(patsubst %.c,$(O)/prog/%.o,$(wildcard partitions/$(1)/*.c)): PCFLAGS += -I$(PLAN_HDR_DIR)/$(1)
endef
$(foreach p,$(PROGRAMS),$(eval $(call plan-header-rule,$(p))))

# A program: its own sources (partitions/NAME/*.c) plus the runtime.
define program-rule
$(O)/partitions/$(1).elf: $(patsubst %.c,$(O)/prog/%.o,$(wildcard partitions/$(1)/*.c)) $(RT_OBJS) \
		$(PROG_LDS) tools/check-program.sh
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	@$$(KCC) $$(PLDFLAGS) -o $$@.tmp $$(filter %.o,$$^) -lm
	@tools/check-program.sh $$@.tmp $(1)
	@mv $$@.tmp $$@
-include $(patsubst %.c,$(O)/prog/%.d,$(wildcard partitions/$(1)/*.c))
endef
$(foreach p,$(PROGRAMS),$(eval $(call program-rule,$(p))))

# The table: rebuilt when a program or the list of programs changes.
IMAGES_S := $(O)/images/images.S
$(IMAGES_S): $(PROGRAM_ELFS) tools/gen-images.sh $(CONFIG_MK)
	@mkdir -p $(dir $@)
	@echo "  IMAGES  $(PROGRAMS)"
	@tools/gen-images.sh $@ $(foreach p,$(PROGRAMS),$(p)=$(O)/partitions/$(p).elf)
$(O)/obj/partitions/images.o: $(IMAGES_S) $(AUTOCONF) $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(KCC) $(KAFLAGS) -c $< -o $@

.PHONY: programs
programs: $(PROGRAM_ELFS)

-include $(RT_OBJS:.o=.d)
