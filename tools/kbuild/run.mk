# make run / make test / make bench.
QEMU ?= qemu-system-aarch64
QEMU_CPU ?= cortex-a57
QEMU_GIC ?= 3
QEMU_SMP ?= 4
QEMU_EL2 ?= off
QEMU_MEM ?= 512M
BOOTARGS ?= loglevel=info runtime_ms=3000
RAW ?= 0

XEN_VCPUS ?= 2
XEN_MEM_MB ?= 128
XEN_GIC ?= 3
XEN_PASSTHROUGH ?= pl031 pl061
XEN_PLAN ?= $(O)/plans/demo-xen.dtb
XEN_TIMEOUT ?= 60

.PHONY: run run-xen test unit-test system-test reproducible bench
run: all
	@$(QEMU) -M virt,gic-version=$(QEMU_GIC),virtualization=$(QEMU_EL2) -cpu $(QEMU_CPU) \
		-smp $(QEMU_SMP) -m $(QEMU_MEM) -nographic -net none \
		-kernel $(O)/bulkhead.img -append "$(BOOTARGS)" $(if $(PLAN),-initrd $(PLAN)) \
		| $(if $(filter 1,$(RAW)),cat,$(O)/bin/bhlog)

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

system-test: all $(O)/test/system $(FIXTURE_DTB)
	@echo "== system tests (QEMU)"
	@$(O)/test/system

reproducible: all
	@echo "== reproducible build"
	@tools/check-reproducible.sh $(O)/bulkhead.img

test: unit-test system-test reproducible

bench: all
	@tools/bench.sh $(O)/bulkhead.img $(O)/plans
