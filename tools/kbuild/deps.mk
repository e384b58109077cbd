# Dependencies: tools/install-deps.sh installs them from Debian's packages when a
# stamp says they are missing. Re-runs cheaply (it only checks) when the script changes.
DEPS_STAMP := $(O)/deps/.installed
TARGET_SYSROOT := $(O)/deps/arm64
TARGET_LIBFDT := $(TARGET_SYSROOT)/usr/lib/aarch64-linux-gnu/libfdt.a
TARGET_LIBFDT_INC := $(TARGET_SYSROOT)/usr/include
TARGET_BEARSSL := $(TARGET_SYSROOT)/usr/lib/aarch64-linux-gnu/libbearssl.a
XEN_PUBLIC_INC := $(O)/deps/xen-include
XEN_HYPERVISOR := $(TARGET_SYSROOT)/boot/xen-4.17-arm64

$(DEPS_STAMP): tools/install-deps.sh
	@tools/install-deps.sh
	@mkdir -p $(dir $@) && touch $@

.PHONY: deps
deps: $(DEPS_STAMP)
