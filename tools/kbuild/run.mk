# make run / make test / make bench.
QEMU ?= qemu-system-aarch64
QEMU_CPU ?= cortex-a57
QEMU_GIC ?= 3
QEMU_SMP ?= 4
QEMU_EL2 ?= off
QEMU_MEM ?= 512M
# make run's defaults: the boot shown at info, a 3 s run, then a clean power-off.
BOOTARGS ?= loglevel=info runtime_ms=3000
RAW ?= 0
# Virtual time, as the system tests boot: one instruction is one ns, and an idle machine
# jumps to its next timer. The host's time (QEMU translating code on its first run, a
# loaded host) never counts against a job's deadline or a heartbeat, and a run is the same
# every time. QEMU_ICOUNT= boots in host time instead.
QEMU_ICOUNT ?= shift=0,align=off,sleep=off
# make run adds panic=off unless BOOTARGS sets panic=: a fatal stop powers QEMU off
# instead of halting it, and bhlog --fail-on-stop makes the stop the run's status (1).
RUN_BOOTARGS = $(strip $(BOOTARGS) $(if $(findstring panic=,$(BOOTARGS)),,panic=off))

XEN_VCPUS ?= 2
XEN_MEM_MB ?= 128
XEN_GIC ?= 3
XEN_PASSTHROUGH ?= pl031 pl061
XEN_PLAN ?= $(O)/plans/demo-xen.dtb
XEN_TIMEOUT ?= 60

.PHONY: run run-xen platform-dtb test unit-test system-test reproducible bench
# The machine make run boots; platform-dtb writes its device tree (what bhplan --platform wants).
QEMU_MACHINE = -M virt,gic-version=$(QEMU_GIC),virtualization=$(QEMU_EL2) -cpu $(QEMU_CPU) \
	-smp $(QEMU_SMP) -m $(QEMU_MEM) -nographic -nic none
PLATFORM_DTB := $(O)/platform.dtb

platform-dtb: $(DEPS_STAMP)
	@mkdir -p $(O)
	@$(QEMU) $(QEMU_MACHINE) -machine dumpdtb=$(PLATFORM_DTB) >$(O)/platform.log 2>&1 || \
		{ cat $(O)/platform.log >&2; exit 1; }
	@echo "  DTB     $(PLATFORM_DTB) (QEMU virt: GICv$(QEMU_GIC), $(QEMU_SMP) CPUs, $(QEMU_MEM), $(QEMU_CPU), EL2 $(QEMU_EL2))"

# PLAN=x.dtb goes to the kernel as it is; PLAN=x.dts is checked on the host first, against
# the machine about to boot, and compiled.
RUN_PLAN = $(if $(filter %.dts,$(PLAN)),$(O)/run/plan.dtb,$(PLAN))
.PHONY: run-plan
run-plan: all
ifneq ($(filter %.dts,$(PLAN)),)
	@$(MAKE) --no-print-directory platform-dtb
	@mkdir -p $(O)/run
	@$(BHPLAN) check $(PLAN) --platform $(PLATFORM_DTB) --images $(O)/partitions || \
		{ echo "make run: $(PLAN) is refused (bhplan check above); not booting" >&2; exit 1; }
	@dtc -q -I dts -O dtb -o $(O)/run/plan.dtb $(PLAN)
else ifneq ($(PLAN),)
	@test -f $(PLAN) || { echo "make run: PLAN=$(PLAN): no such file" >&2; exit 1; }
	@[ "$$(head -c 4 $(PLAN) | od -An -tx1 | tr -d ' ')" = d00dfeed ] || \
		{ echo "make run: PLAN=$(PLAN) is not a device-tree blob: give a .dts or a .dtb" >&2; exit 1; }
endif

# Status: 0 after a clean run, 1 if the kernel stopped (plan refused, fault, ...) or QEMU failed.
run: run-plan
	@set -o pipefail; $(QEMU) $(QEMU_MACHINE) -kernel $(O)/bulkhead.img -append "$(RUN_BOOTARGS)" \
		$(if $(QEMU_ICOUNT),-icount $(QEMU_ICOUNT)) \
		$(if $(PLAN),-initrd $(RUN_PLAN)) \
		| $(O)/bin/bhlog --fail-on-stop $(if $(filter 1,$(RAW)),--raw)

# The same image as a Xen dom0less guest (tools/xen-run --help). Exits with the
# runner's status: 0 shutdown, 2 crash, 3 watchdog, 4 timeout, 5 error.
run-xen: all
	@set -o pipefail; tools/xen-run --image $(O)/bulkhead.img --xen $(XEN_HYPERVISOR) \
		--vcpus $(XEN_VCPUS) --mem-mb $(XEN_MEM_MB) --gic $(XEN_GIC) --timeout $(XEN_TIMEOUT) \
		$(foreach d,$(XEN_PASSTHROUGH),--passthrough $(d)) --xen-log $(O)/xen.log \
		$(if $(XEN_PLAN),--initrd $(XEN_PLAN)) \
		--bootargs "$(BOOTARGS)" | $(if $(filter 1,$(RAW)),cat,$(O)/bin/bhlog)

unit-test: $(O)/test/unit $(FIXTURE_DTB)
	@echo "== unit tests (host, ASan+UBSan)"
	@$(O)/test/unit

# System tests run side by side (each boots its own QEMU; most of their time is waiting).
# Bare-metal runs count virtual time (-icount), so a loaded host slows them, never fails them.
TEST_JOBS ?= 4
XEN_TEST_JOBS ?= 1
# Bare-metal runs count virtual time and run TEST_JOBS at a time. Xen runs keep the host's
# real time (Xen does not boot under -icount), so a loaded host makes their jobs late:
# they run after the others, one at a time (XEN_TEST_JOBS), with the bare-metal runs that
# need real time (suite real_time: CPUs side by side, docs/building.md).
system-test: all $(O)/test/system $(FIXTURE_DTB)
	@echo "== system tests (QEMU, $(TEST_JOBS) at a time; then real time and Xen, $(XEN_TEST_JOBS) at a time)"
	@$(O)/test/system --jobs $(TEST_JOBS) --filter '!(*xen*|real_time/*)'
	@$(O)/test/system --jobs $(XEN_TEST_JOBS) --filter '@(*xen*|real_time/*)'

reproducible: all
	@echo "== reproducible build"
	@tools/check-reproducible.sh $(O)/bulkhead.img

# The three parts run one after the other whatever -j says (only the build before them
# runs in parallel): the Xen tests keep the host's real time and must not share it with
# the reproducibility check's two builds or the unit tests. All three run; the status is
# 1 if any failed.
test: all $(O)/test/unit $(O)/test/system $(FIXTURE_DTB)
	@st=0; for part in unit-test system-test reproducible; do \
		$(MAKE) --no-print-directory $$part || st=1; \
	done; exit $$st

# make bench measures a second image built with CONFIG_BENCH (PMCCNTR stamps on the EL0
# paths) in its own folder; its .config is the main one plus that option.
BENCH_O := $(O)/bench-image
.PHONY: bench-image
bench-image: all
	@mkdir -p $(BENCH_O)
	@ln -sfn $(abspath $(O)/deps) $(BENCH_O)/deps
	@{ grep -v '^# CONFIG_BENCH is not set' $(KCONFIG_CONFIG); echo CONFIG_BENCH=y; } > $(BENCH_O)/.config.new
	@cmp -s $(BENCH_O)/.config.new $(BENCH_O)/.config.in || \
		{ cp $(BENCH_O)/.config.new $(BENCH_O)/.config.in; cp $(BENCH_O)/.config.new $(BENCH_O)/.config; }
	@$(MAKE) --no-print-directory O=$(BENCH_O) KCONFIG_CONFIG=$(BENCH_O)/.config $(BENCH_O)/bulkhead.img

bench: all bench-image
	@tools/bench.sh $(O)/bulkhead.img $(O)/plans $(BENCH_O)/bulkhead.img
