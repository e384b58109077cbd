# Host side: unit tests of core/ and dt/ (and the pure parts of hal/) built from the
# kernel's own sources with the host compiler, sanitizers on; host tools.
HOSTCC ?= gcc
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer \
	-I. -Itests -Ihal/fake -Itools -DBH_HOST -DBH_LIBC_PREFIXED -MMD -MP
HOST_LDFLAGS := -fsanitize=address,undefined
TOOL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -I. -Itools -MMD -MP

# The aarch64 drivers whose waits and register protocol the host tests check, built for
# the host against fake registers: -iquote makes their "hal/aarch64/mmio.h" and
# "hal/aarch64/sysreg.h" the stand-ins in hal/fake/regs (hal/fake/fake_regs.h).
HOST_DRIVER_SRCS := hal/aarch64/uart.c hal/aarch64/gic_v2.c hal/aarch64/gic_v3.c hal/aarch64/timer.c
# Kernel sources the host tests compile (no asm, no MMIO: rule 1; the drivers above
# reach only fake registers).
HOST_KSRCS := core/lib/string.c core/lib/strbuf.c core/log.c core/bootargs.c core/clock.c core/timeq.c core/console.c \
	dt/dt_error.c dt/fdt_read.c dt/platform.c dt/plan_report.c dt/plan_read.c dt/plan_parse.c dt/plan_check.c \
	dt/plan_sort.c dt/plan_sched.c dt/plan_platform.c core/plan_boot.c core/lib/sha256.c hal/hal_error.c hal/aarch64/esr.c hal/aarch64/pgtable.c \
	hal/xen/xen.c hal/fake/fake_uart.c hal/fake/fake_cpu.c hal/fake/fake_xen.c tools/jsonl.c \
	hal/aarch64/gic_check.c hal/aarch64/timer_freq.c hal/fake/fake_regs.c $(HOST_DRIVER_SRCS)
# One line per module added since, so parallel work merges cleanly.
HOST_KSRCS += core/images.c partitions/lib/args.c
HOST_KSRCS += core/smp.c core/initrd.c dt/early.c
HOST_KSRCS += core/sched.c core/sched_build.c core/space.c
HOST_KSRCS += core/uaccess.c core/syscall.c core/port_sys.c
HOST_KSRCS += dt/plan_hm.c core/hm.c
HOST_KSRCS += core/hm_run.c
UNIT_SRCS := $(wildcard tests/unit/*.c) tests/fuzz/fuzz_plan_one.c tests/fuzz/fuzz_platform_one.c
HOST_KSRCS += core/elf.c
UNIT_SRCS += tests/fuzz/fuzz_elf_one.c
HOST_KSRCS += core/cap.c core/port.c dt/device_res.c dt/plan_digest.c
SYS_SRCS := $(wildcard tests/system/*.c) tools/jsonl.c
HOST_KSRCS += hal/aarch64/kmap.c
HOST_KSRCS += partitions/syscall-fuzz/fuzz_gen.c partitions/faulty/faulty_mode.c
HOST_KSRCS += core/config_id.c core/devices.c
HOST_KSRCS += core/kmem.c core/asid.c
HOST_KSRCS += core/run_tables.c
HOST_KSRCS += core/uaccess_fast.c
HOST_KSRCS += core/logring.c

HOST_OBJS := $(addprefix $(O)/host/,$(HOST_KSRCS:.c=.o) $(UNIT_SRCS:.c=.o))
SYS_OBJS := $(addprefix $(O)/host/sys/,$(SYS_SRCS:.c=.o))

$(O)/host/%.o: %.c $(DEPS_STAMP) tools/kbuild/host.mk
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HOSTCC) $(HOST_CFLAGS) -c $< -o $@

$(O)/host/sys/%.o: %.c $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HOSTCC) $(TOOL_CFLAGS) -Itests -c $< -o $@

# The image table as the kernel embeds it, assembled for the host (tests/unit/test_images.c).
$(O)/host/images.o: $(IMAGES_S)
	@mkdir -p $(dir $@)
	@echo "  HOSTAS  $<"
	@$(HOSTCC) -c $< -o $@

$(O)/test/unit: $(HOST_OBJS) $(O)/host/images.o
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(HOSTCC) $(HOST_LDFLAGS) -o $@ $^ -lfdt -lbearssl -lcriterion

$(O)/test/system: $(SYS_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(HOSTCC) -o $@ $^ -lcriterion

# Device-tree fixtures: .dts text in tests/fixtures/dt, compiled here.
FIXTURE_DTS := $(wildcard tests/fixtures/dt/*.dts)
FIXTURE_DTB := $(patsubst tests/fixtures/dt/%.dts,$(O)/fixtures/%.dtb,$(FIXTURE_DTS))
$(O)/fixtures/%.dtb: tests/fixtures/dt/%.dts $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@dtc -q -I dts -O dtb -o $@ $<
# Plan fixtures: one per rule (bad-*), built on tests/fixtures/plans/base.dtsi.
PLAN_FIXTURE_DTS := $(wildcard tests/fixtures/plans/*.dts)
FIXTURE_DTB += $(patsubst tests/fixtures/plans/%.dts,$(O)/fixtures/plans/%.dtb,$(PLAN_FIXTURE_DTS))
$(O)/fixtures/plans/%.dtb: tests/fixtures/plans/%.dts tests/fixtures/plans/base.dtsi $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@dtc -q -I dts -O dtb -o $@ $<
# ELF fixtures: a real static AArch64 program (tests/fixtures/elf/prog.c, no C library),
# linked with the linker's defaults (64 KiB pages, code and read-only data together) and
# with separate code at 4 KiB pages.
ELF_FIXTURE_CFLAGS := -O2 -ffreestanding -nostdlib -static -fno-pic -no-pie -Wl,--build-id=none
FIXTURE_ELF := $(O)/fixtures/elf/prog.elf $(O)/fixtures/elf/prog-sep.elf
$(O)/fixtures/elf/prog-sep.elf: ELF_FIXTURE_CFLAGS += -Wl,-z,separate-code -Wl,-z,max-page-size=4096
$(FIXTURE_ELF): tests/fixtures/elf/prog.c $(DEPS_STAMP) tools/kbuild/host.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(KCC) $(ELF_FIXTURE_CFLAGS) -o $@ $<
.PHONY: fixtures
fixtures: $(FIXTURE_DTB) $(FIXTURE_ELF)

# Host tools.
HOST_TOOLS := $(O)/bin/bhlog $(O)/bin/bhplan

# bhplan: the kernel's own plan and platform code, built for the host (host libc, libfdt).
# The plan pipeline (parser, validator, platform checks): one list for bhplan and make fuzz.
PLAN_PIPELINE_SRCS := dt/dt_error.c dt/fdt_read.c dt/platform.c dt/plan_report.c dt/plan_read.c dt/plan_parse.c \
	dt/plan_check.c dt/plan_sort.c dt/plan_sched.c dt/plan_platform.c core/lib/strbuf.c
PLAN_PIPELINE_SRCS += dt/plan_hm.c
PLAN_PIPELINE_SRCS += dt/plan_digest.c
BHPLAN_KSRCS := $(PLAN_PIPELINE_SRCS) core/lib/sha256.c
BHPLAN_OBJS := $(addprefix $(O)/host/tool/,$(BHPLAN_KSRCS:.c=.o)) \
	$(addprefix $(O)/host/tools/,bhplan.o bhplan_io.o bhplan_show.o bhplan_svg.o bhplan_src.o \
	bhplan_gen.o)
BHPLAN_OBJS += $(O)/host/tools/bhplan_hm.o
BHPLAN_OBJS += $(O)/host/tool/core/cap.o $(O)/host/tools/bhplan_header.o \
	$(O)/host/tools/bhplan_images.o
BHPLAN_OBJS += $(O)/host/tool/core/config_id.o
# The kernel's run-time tables (bhplan show/check): the kernel's own sizing code.
BHPLAN_OBJS += $(addprefix $(O)/host/tool/,core/run_tables.o core/kmem.o core/sched.o core/sched_build.o core/hm.o \
	core/devices.o dt/device_res.o core/space.o core/elf.o hal/aarch64/pgtable.o) \
	$(O)/host/tools/bhplan_ktables.o
# glibc's strnlen warns at -O2 when copy_name's bound (the room in the info page) exceeds
# the plan name's array, whose NUL comes first: no overread.
$(O)/host/tool/core/devices.o: TOOL_CFLAGS += -Wno-stringop-overread
$(O)/host/tool/%.o: %.c $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HOSTCC) $(TOOL_CFLAGS) -c $< -o $@
$(O)/bin/bhplan: $(BHPLAN_OBJS)
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(HOSTCC) -o $@ $^ -lfdt -lbearssl
-include $(BHPLAN_OBJS:.o=.d)
$(O)/bin/bhlog: $(O)/host/tools/bhlog.o $(O)/host/tools/jsonl.o
	@mkdir -p $(dir $@)
	@echo "  LINK    $@"
	@$(HOSTCC) -o $@ $^
$(O)/host/tools/%.o: tools/%.c $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(HOSTCC) $(TOOL_CFLAGS) -c $< -o $@

.PHONY: host-tools
host-tools: $(HOST_TOOLS)

-include $(HOST_OBJS:.o=.d) $(SYS_OBJS:.o=.d)

HOST_CFLAGS += -DBH_FIXTURES='"$(O)/fixtures"' -DBH_PLANS='"$(O)/plans"' -DBH_BUILD='"$(O)"'
$(O)/test/unit: | $(FIXTURE_DTB) $(PLANS_DTB)
$(O)/test/unit: | $(FIXTURE_ELF)
$(O)/host/sys/%.o: TOOL_CFLAGS += -Itools -DBH_IMAGE='"$(O)/bulkhead.img"' -DBH_FIXTURES='"$(O)/fixtures"' \
	-DBH_PLANS='"$(O)/plans"' -DBH_BUILD='"$(O)"'
$(addprefix $(O)/host/,$(HOST_DRIVER_SRCS:.c=.o)): HOST_CFLAGS += -iquote hal/fake/regs -DCONFIG_MAX_CPUS=8
