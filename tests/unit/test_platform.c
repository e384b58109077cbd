/* dt/platform.c against QEMU's, Xen's and hand-made device trees, good and bad. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dt/platform.h"
#include "fixture.h"

static struct platform plat;
static struct dt_diag diag;

static enum dt_err parse_fixture(const char *name, unsigned int max_cpus)
{
	size_t len;
	void *blob = fixture_load(name, &len);
	enum dt_err e = platform_parse(blob, len, max_cpus, &plat, &diag);

	free(blob);
	return e;
}

static void expect_ok(const char *name, unsigned int max_cpus)
{
	enum dt_err e = parse_fixture(name, max_cpus);

	cr_assert_eq(e, DT_OK, "%s: %s: %s", name, diag.path, diag.what);
}

Test(platform, qemu_gicv3_4cpu)
{
	expect_ok("qemu-virt-gicv3-4cpu.dtb", 8);
	cr_assert_eq(plat.n_ram, 1);
	cr_assert_eq(pa_addr(plat.ram[0].base), 0x40000000);
	cr_assert_eq(plat.ram[0].size, 512u << 20);
	cr_assert_eq(plat.n_cpus, 4);
	for (unsigned int i = 0; i < 4; i++)
		cr_assert_eq(plat.cpu_mpidr[i], i);
	cr_assert_eq(plat.gic.version, GIC_V3);
	cr_assert_eq(pa_addr(plat.gic.dist.base), 0x8000000);
	cr_assert_eq(plat.gic.n_redist, 1);
	cr_assert_eq(pa_addr(plat.gic.redist[0].base), 0x80a0000);
	cr_assert_eq(plat.timer.virt_intid, 27);
	cr_assert_eq(plat.timer.phys_intid, 30);
	cr_assert_eq(plat.timer.freq_hz, 0);
	cr_assert_eq(plat.console.kind, UART_PL011);
	cr_assert_eq(pa_addr(plat.console.regs.base), 0x9000000);
	cr_assert_str_eq(plat.console.path, "/pl011@9000000");
	cr_assert_eq(plat.psci.conduit, PSCI_CONDUIT_HVC);
	cr_assert(plat.psci.v1_0);
	cr_assert_eq(plat.hypervisor.kind, HYP_NONE);
	cr_assert_eq(plat.has_initrd, false);
	cr_assert_eq(platform_ram_bytes(&plat), 512u << 20);
}

Test(platform, qemu_gicv2_variants)
{
	expect_ok("qemu-virt-gicv2-1cpu.dtb", 8);
	cr_assert_eq(plat.n_cpus, 1);
	cr_assert_eq(plat.gic.version, GIC_V2);
	cr_assert_eq(pa_addr(plat.gic.dist.base), 0x8000000);
	cr_assert_eq(pa_addr(plat.gic.cpuif.base), 0x8010000);
	cr_assert_eq(plat.gic.cpuif.size, 0x10000);
	expect_ok("qemu-virt-gicv2-2cpu.dtb", 8);
	cr_assert_eq(plat.n_cpus, 2);
	expect_ok("qemu-virt-gicv3-1cpu.dtb", 8);
	cr_assert_eq(plat.n_cpus, 1);
}

Test(platform, qemu_el2_uses_smc)
{
	expect_ok("qemu-virt-gicv3-4cpu-el2.dtb", 8);
	cr_assert_eq(plat.psci.conduit, PSCI_CONDUIT_SMC);
	expect_ok("qemu-virt-gicv2-4cpu-el2.dtb", 8);
	cr_assert_eq(plat.psci.conduit, PSCI_CONDUIT_SMC);
	cr_assert_eq(plat.gic.version, GIC_V2);
}

Test(platform, max_cpus_caps_and_counts)
{
	expect_ok("qemu-virt-gicv3-4cpu.dtb", 2);
	cr_assert_eq(plat.n_cpus, 2);
	cr_assert_eq(plat.n_cpus_ignored, 2);
	cr_assert_eq(platform_cpu_index(&plat, 1), 1);
	cr_assert_eq(platform_cpu_index(&plat, 3), -1);
	/* The MPIDR's non-affinity bits (U, MT, RES1 bit 31) do not change identity. */
	cr_assert_eq(platform_cpu_index(&plat, 0x80000001ULL), 1);
}

Test(platform, xen_guest)
{
	expect_ok("xen-domu-gicv3-2cpu.dtb", 8);
	cr_assert_eq(plat.hypervisor.kind, HYP_XEN);
	cr_assert_str_eq(plat.hypervisor.compatible, "xen,xen-4.17");
	cr_assert_eq(plat.n_cpus, 2);
	cr_assert_eq(plat.console.kind, UART_SBSA);
	cr_assert_eq(pa_addr(plat.console.regs.base), 0x22000000);
	cr_assert_eq(plat.gic.version, GIC_V3);
	cr_assert_eq(pa_addr(plat.gic.dist.base), 0x3001000);
	cr_assert_eq(pa_addr(plat.gic.redist[0].base), 0x3020000);
	cr_assert_eq(plat.psci.conduit, PSCI_CONDUIT_HVC);
	cr_assert_eq(plat.timer.virt_intid, 27);
	cr_assert_eq(plat.ram[0].size, 128u << 20);
	cr_assert_str_eq(plat.bootargs, "console=ttyAMA0");
	cr_assert_eq(plat.has_initrd, false, "Xen's 0..0 initrd means none");

	cr_assert_not(plat.rtc.present, "Xen gives a guest no RTC unless passed through");

	expect_ok("xen-domu-gicv3-2cpu-plain.dtb", 8);
	cr_assert_eq(plat.hypervisor.kind, HYP_NONE);
}

Test(platform, rtc_bare_metal_and_passed_through)
{
	expect_ok("qemu-virt-gicv3-4cpu.dtb", 8);
	cr_assert(plat.rtc.present);
	cr_assert_eq(pa_addr(plat.rtc.regs.base), 0x9010000);
	cr_assert_eq(plat.rtc.regs.size, 0x1000);
	cr_assert_str_eq(plat.rtc.path, "/pl031@9010000");

	expect_ok("xen-domu-passthrough.dtb", 8);
	cr_assert(plat.rtc.present);
	cr_assert_eq(pa_addr(plat.rtc.regs.base), 0x9010000, "1:1 through the bus's empty ranges");
	cr_assert_str_eq(plat.rtc.path, "/passthrough/pl031@9010000");
	cr_assert_eq(plat.hypervisor.kind, HYP_XEN);
}

Test(platform, bus_translation_alias_reserved_initrd)
{
	expect_ok("handmade-bus-reserved.dtb", 8);
	cr_assert_eq(plat.n_ram, 3, "disabled memory node is skipped");
	cr_assert_eq(pa_addr(plat.ram[2].base), 0x100000000ULL);
	cr_assert_eq(platform_ram_bytes(&plat), 0x10000000ULL * 2 + 0x20000000ULL);
	cr_assert_eq(plat.n_reserved, 2, "memreserve + reserved-memory reg (size-only pool skipped)");
	cr_assert_eq(pa_addr(plat.reserved[0].base), 0x48000000);
	cr_assert_eq(plat.reserved[0].size, 0x10000);
	cr_assert_eq(pa_addr(plat.reserved[1].base), 0x4f000000);
	cr_assert_eq(plat.n_cpus, 3, "disabled CPU is skipped");
	cr_assert_eq(plat.cpu_mpidr[1], 0x100);
	cr_assert_eq(plat.cpu_mpidr[2], 0x10000);
	cr_assert_eq(plat.console.kind, UART_SBSA);
	cr_assert_eq(pa_addr(plat.console.regs.base), 0x1c001000, "translated through /soc ranges");
	cr_assert_str_eq(plat.console.path, "/soc/serial@1000");
	cr_assert_eq(plat.gic.version, GIC_V2);
	cr_assert_eq(pa_addr(plat.gic.cpuif.base), 0x2c002000);
	cr_assert_eq(plat.timer.freq_hz, 100000000);
	cr_assert_eq(plat.psci.conduit, PSCI_CONDUIT_SMC);
	cr_assert_not(plat.psci.v1_0);
	cr_assert_str_eq(plat.bootargs, "loglevel=info runtime_ms=250");
	cr_assert(plat.has_initrd);
	cr_assert_eq(pa_addr(plat.initrd.base), 0x44000000);
	cr_assert_eq(plat.initrd.size, 0x100000);
}

/* Bad trees: each must give its precise error, at the right node. */
struct bad_case {
	const char *fixture;
	enum dt_err err;
	const char *path;
	const char *what_contains;
};

static void expect_bad(const struct bad_case *c)
{
	enum dt_err e = parse_fixture(c->fixture, 8);

	cr_assert_eq(e, c->err, "%s: got %s (%s: %s)", c->fixture, dt_strerror(e), diag.path,
		     diag.what);
	cr_assert_eq(diag.err, c->err);
	cr_assert_str_eq(diag.path, c->path, "%s: path", c->fixture);
	cr_assert(strstr(diag.what, c->what_contains), "%s: '%s' lacks '%s'", c->fixture, diag.what,
		  c->what_contains);
}

Test(platform_bad, missing_memory)
{
	expect_bad(&(struct bad_case){ "bad-no-memory.dtb", DT_ERR_MISSING_NODE, "/",
				       "expected a /memory node" });
}

Test(platform_bad, missing_interrupt_controller)
{
	expect_bad(&(struct bad_case){ "bad-no-gic.dtb", DT_ERR_MISSING_NODE, "",
				       "expected an interrupt controller" });
}

Test(platform_bad, reg_size_not_multiple_of_cells)
{
	expect_bad(&(struct bad_case){ "bad-reg-size.dtb", DT_ERR_BAD_REG, "/pl011@9000000",
				       "'reg' is 12 bytes, expected a non-zero multiple of 16" });
}

Test(platform_bad, zero_sized_memory)
{
	expect_bad(&(struct bad_case){ "bad-memory-reg-zero.dtb", DT_ERR_BAD_REG,
				       "/memory@40000000", "has size 0" });
}

Test(platform_bad, gicv3_without_redistributor)
{
	expect_bad(&(struct bad_case){ "bad-gic-one-reg.dtb", DT_ERR_BAD_REG, "/intc@8000000",
				       "expected at least 2 entries in 'reg', found 1" });
}

Test(platform_bad, missing_timer)
{
	expect_bad(&(struct bad_case){ "bad-no-timer.dtb", DT_ERR_MISSING_NODE, "",
				       "arm,armv8-timer" });
}

Test(platform_bad, missing_psci)
{
	expect_bad(&(struct bad_case){ "bad-no-psci.dtb", DT_ERR_MISSING_NODE, "", "psci" });
}

Test(platform_bad, stdout_path_to_nowhere)
{
	expect_bad(&(struct bad_case){ "bad-stdout-path.dtb", DT_ERR_BAD_PROP, "/chosen",
				       "'/serial@1234', which is not in the tree" });
}

Test(platform_bad, null_blob)
{
	cr_assert_eq(platform_parse(NULL, 0, 4, &plat, &diag), DT_ERR_NO_BLOB);
}

Test(platform_bad, bad_magic)
{
	size_t len;
	unsigned char *blob = fixture_load("qemu-virt-gicv3-1cpu.dtb", &len);

	blob[0] ^= 0xff;
	cr_assert_eq(platform_parse(blob, len, 4, &plat, &diag), DT_ERR_HEADER);
	cr_assert(strstr(diag.what, "expected magic 0xd00dfeed, found 0x2d00dfeed") ||
		  strstr(diag.what, "expected magic 0xd00dfeed, found 0x"), "%s", diag.what);
	free(blob);
}

Test(platform_bad, truncated)
{
	size_t len;
	void *blob = fixture_load("qemu-virt-gicv3-1cpu.dtb", &len);
	char want[96];

	snprintf(want, sizeof(want), "header says %zu bytes, only %zu readable", len, len / 2);
	cr_assert_eq(platform_parse(blob, len / 2, 4, &plat, &diag), DT_ERR_TRUNCATED);
	cr_assert_str_eq(diag.what, want);
	cr_assert_eq(platform_parse(blob, 10, 4, &plat, &diag), DT_ERR_TRUNCATED);
	free(blob);
}

Test(platform_bad, corrupt_structure)
{
	size_t len;
	unsigned char *blob = fixture_load("qemu-virt-gicv3-1cpu.dtb", &len);
	uint32_t off_struct = ((uint32_t)blob[8] << 24) | ((uint32_t)blob[9] << 16) |
			      ((uint32_t)blob[10] << 8) | blob[11];

	/* Overwrite the first tag (FDT_BEGIN_NODE) with garbage. */
	memset(blob + off_struct, 0x7f, 4);
	cr_assert_neq(platform_parse(blob, len, 4, &plat, &diag), DT_OK);
	cr_assert(diag.err == DT_ERR_STRUCTURE || diag.err == DT_ERR_HEADER, "%s", diag.what);
	free(blob);
}

Test(platform_bad, every_truncation_is_an_error_never_a_crash)
{
	size_t len;
	void *blob = fixture_load("qemu-virt-gicv3-1cpu.dtb", &len);

	for (size_t n = 0; n < len; n += 97)
		cr_assert_neq(platform_parse(blob, n, 4, &plat, &diag), DT_OK, "n=%zu", n);
	free(blob);
}

Test(platform_diag, format_is_one_readable_line)
{
	char buf[256];
	struct strbuf sb;

	cr_assert_neq(parse_fixture("bad-reg-size.dtb", 8), DT_OK);
	sb_init(&sb, buf, sizeof(buf));
	dt_diag_format(&diag, &sb);
	cr_assert_str_eq(buf, "/pl011@9000000: 'reg' is 12 bytes, expected a non-zero multiple "
			      "of 16 (#address-cells=2, #size-cells=2) (malformed address range)");
}
