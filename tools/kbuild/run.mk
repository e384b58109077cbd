# make run / make test / make bench.
QEMU ?= qemu-system-aarch64
QEMU_CPU ?= cortex-a57
QEMU_GIC ?= 3
QEMU_SMP ?= 4
QEMU_EL2 ?= off
QEMU_MEM ?= 512M
BOOTARGS ?= loglevel=info runtime_ms=3000
RAW ?= 0

.PHONY: run test unit-test system-test reproducible bench
run: all
	@$(QEMU) -M virt,gic-version=$(QEMU_GIC),virtualization=$(QEMU_EL2) -cpu $(QEMU_CPU) \
		-smp $(QEMU_SMP) -m $(QEMU_MEM) -nographic -net none \
		-kernel $(O)/bulkhead.img -append "$(BOOTARGS)" \
		| $(if $(filter 1,$(RAW)),cat,$(O)/bin/bhlog)

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
	@tools/bench.sh $(O)/bulkhead.img
