# Kconfig through Debian's python3-kconfiglib (its front ends are python modules).
# /usr/bin/python3 on purpose: the Debian package installs into the system python.
KPY := /usr/bin/python3 -m
AUTOCONF := $(O)/include/generated/autoconf.h
DEFCONFIG ?= qemu_virt_defconfig

%_defconfig: $(DEPS_STAMP)
	@$(KPY) defconfig --kconfig Kconfig configs/$@ >/dev/null

.PHONY: menuconfig olddefconfig savedefconfig
menuconfig: $(DEPS_STAMP)
	@$(KPY) menuconfig Kconfig
olddefconfig: $(DEPS_STAMP)
	@$(KPY) olddefconfig Kconfig >/dev/null
savedefconfig: $(DEPS_STAMP)
	@$(KPY) savedefconfig --kconfig Kconfig --out defconfig
	@echo "wrote defconfig"

# No .config yet: start from the default defconfig, so a fresh clone just builds.
$(KCONFIG_CONFIG): | $(DEPS_STAMP)
	@$(KPY) defconfig --kconfig Kconfig configs/$(DEFCONFIG) >/dev/null

# genconfig writes both the C header and the make fragment. The fragment is the
# rule's target (an included makefile: make restarts once it exists, so the Kbuild
# lists see CONFIG_*); the header is moved in last, so it is never older.
CONFIG_MK := $(O)/include/generated/config.mk
$(CONFIG_MK): $(KCONFIG_CONFIG) $(shell find . -name Kconfig -not -path './$(O)/*') | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@$(KPY) olddefconfig Kconfig >/dev/null
	@$(KPY) genconfig --header-path $(AUTOCONF).tmp --config-out $@.tmp Kconfig
	@mv $@.tmp $@ && mv $(AUTOCONF).tmp $(AUTOCONF)
$(AUTOCONF): $(CONFIG_MK)
	@:

-include $(CONFIG_MK)
