# Bulkhead: the thin driver. What to build is listed in the Kbuild files (obj-y and
# obj-$(CONFIG_X), Linux style); how to build it is in tools/kbuild/*.mk.
#
#   make qemu_virt_defconfig   configure from configs/qemu_virt_defconfig
#   make menuconfig | olddefconfig | savedefconfig
#   make                       build/bulkhead.elf, build/bulkhead.img, host tools
#   make run                   install what is missing, configure, build, boot in QEMU
#   make platform-dtb          build/platform.dtb: the device tree of the machine make run boots
#   make run-xen               the same image as a Xen dom0less guest in QEMU
#   make test                  install what is missing, build, run every test (Criterion)
#   make bench                 benchmarks (figures, not pass/fail)
#   make fuzz                  libFuzzer on the plan, platform and ELF parsers (FUZZ_TARGET, FUZZ_SECONDS)

MAKEFLAGS += --no-builtin-rules --no-builtin-variables
SHELL := /bin/bash
.SUFFIXES:
.DEFAULT_GOAL := all

srctree := $(CURDIR)
O ?= build
export KCONFIG_CONFIG ?= .config

include tools/kbuild/deps.mk
include tools/kbuild/config.mk
include tools/kbuild/plan.mk
include tools/kbuild/kernel.mk
include tools/kbuild/partitions.mk
include tools/kbuild/host.mk
include tools/kbuild/run.mk
include tools/kbuild/fuzz.mk

.PHONY: all clean distclean help
all: $(O)/bulkhead.img host-tools plans

clean:
	rm -rf $(O)/obj $(O)/host $(O)/bin $(O)/bulkhead.* $(O)/include $(O)/fixtures $(O)/test \
		$(O)/plan $(O)/plans $(O)/fuzz/fuzz_plan $(O)/fuzz/fuzz_platform $(O)/fuzz/fuzz_elf $(O)/run $(O)/platform.dtb $(O)/platform.log \
		$(O)/prog $(O)/partitions $(O)/images

distclean: clean
	rm -rf $(O) .config .config.old

help:
	@sed -n '1,/^$$/p' Makefile | sed 's/^# \{0,1\}//'
