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

$(AUTOCONF): $(KCONFIG_CONFIG) $(shell find . -name Kconfig -not -path './$(O)/*') | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@$(KPY) olddefconfig Kconfig >/dev/null
	@$(KPY) genconfig --header-path $@.tmp --config-out $(O)/include/generated/config.mk.tmp Kconfig
	@mv $@.tmp $@ && mv $(O)/include/generated/config.mk.tmp $(O)/include/generated/config.mk

# CONFIG_* as make variables for obj-$(CONFIG_X). Missing before the first build; the
# rule above makes it and make restarts with it.
-include $(O)/include/generated/config.mk
$(O)/include/generated/config.mk: $(AUTOCONF)
