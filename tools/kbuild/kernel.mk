# The kernel image. Kbuild files list objects and subfolders:
#   obj-y += foo.o            always
#   obj-$(CONFIG_BAR) += bar.o only when CONFIG_BAR=y
#   obj-y += sub/             descend into sub/Kbuild
# A foo.o is built from foo.c or foo.S in the same folder.

CROSS_COMPILE ?= aarch64-linux-gnu-
KCC := $(CROSS_COMPILE)gcc
KLD := $(CROSS_COMPILE)ld
KOBJCOPY := $(CROSS_COMPILE)objcopy
KREADELF := $(CROSS_COMPILE)readelf

# kbuild-collect DIR: read DIR/Kbuild, add its objects to kobjs, recurse into its subdirs.
# Each level saves its lists under its own name before recursing, since obj-y is reused.
define kbuild-collect
obj-y :=
include $(1)/Kbuild
kbuild_objs_$(1) := $$(addprefix $(1)/,$$(filter %.o,$$(obj-y)))
kbuild_dirs_$(1) := $$(patsubst %/,$(1)/%,$$(filter %/,$$(obj-y)))
kobjs += $$(kbuild_objs_$(1))
$$(foreach d,$$(kbuild_dirs_$(1)),$$(eval $$(call kbuild-collect,$$(d))))
endef
kobjs :=
ifneq ($(wildcard $(O)/include/generated/config.mk),)
$(eval $(call kbuild-collect,.))
endif
kobjs := $(patsubst ./%,%,$(kobjs))
KOBJS := $(addprefix $(O)/obj/,$(kobjs))

# Flags. -mstrict-align: code runs with the MMU off (Device memory) at boot.
# -ffile-prefix-map and no build id: byte-identical images from any directory.
KCFLAGS = -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter \
	-ffreestanding -fno-builtin -nostdinc -fno-common -fno-pic -fno-pie \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics -march=armv8-a -mcpu=cortex-a53 \
	-fstack-protector-strong -fstack-clash-protection --param stack-clash-protection-guard-size=12 \
	-Wframe-larger-than=3072 -fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-fno-delete-null-pointer-checks -fno-tree-loop-distribute-patterns \
	-ffile-prefix-map=$(srctree)/= -fdebug-prefix-map=$(srctree)/= \
	-isystem core/lib/include -isystem $(shell $(KCC) -print-file-name=include 2>/dev/null) \
	-I. -I$(O)/include -isystem $(TARGET_LIBFDT_INC) -isystem $(XEN_PUBLIC_INC) \
	-include $(AUTOCONF) -MMD -MP
KAFLAGS := -I. -I$(O)/include -isystem $(XEN_PUBLIC_INC) -include $(AUTOCONF) -D__ASSEMBLY__ -MMD -MP \
	-ffile-prefix-map=$(srctree)/=
KLDFLAGS := -nostdlib -pie --no-dynamic-linker -z norelro -z noexecstack \
	--build-id=none --no-undefined -z max-page-size=4096 \
	--hash-style=sysv -Bsymbolic --sort-section=name

LDS := hal/aarch64/bulkhead.lds

$(O)/obj/%.o: %.c $(AUTOCONF) $(DEPS_STAMP) tools/kbuild/kernel.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(KCC) $(KCFLAGS) -c $< -o $@

$(O)/obj/%.o: %.S $(AUTOCONF) $(DEPS_STAMP) tools/kbuild/kernel.mk
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(KCC) $(KAFLAGS) -c $< -o $@

# The link. libfdt.a and libbearssl.a are Debian's arm64 builds. The image must be position independent
# (the loader may put it at any 2 MiB boundary): head.S applies R_AARCH64_RELATIVE
# entries at boot, and the check below refuses any other dynamic relocation.
$(O)/bulkhead.elf: $(KOBJS) $(PLAN_OBJ) $(LDS) $(TARGET_LIBFDT) $(TARGET_BEARSSL)
	@echo "  LD      $@"
	@$(KLD) $(KLDFLAGS) -T $(LDS) -o $@.tmp $(KOBJS) $(PLAN_OBJ) $(TARGET_LIBFDT) $(TARGET_BEARSSL)
	@bad=$$($(KREADELF) -rW $@.tmp | awk '/^[0-9a-f]+ /{print $$3}' | grep -v R_AARCH64_RELATIVE | sort -u); \
	  if [ -n "$$bad" ]; then echo "error: unsupported relocations in kernel: $$bad" >&2; rm -f $@.tmp; exit 1; fi
	@mv $@.tmp $@

$(O)/bulkhead.img: $(O)/bulkhead.elf
	@echo "  IMAGE   $@"
	@$(KOBJCOPY) -O binary $< $@

$(TARGET_LIBFDT) $(TARGET_BEARSSL): $(DEPS_STAMP)

-include $(KOBJS:.o=.d)
