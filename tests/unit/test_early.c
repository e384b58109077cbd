/* dt/early.c: the facts read before the platform parse (panic policy, PSCI). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "dt/early.h"
#include "fixture.h"

static struct platform_early early;
static struct dt_diag diag;

static void *blob;
static enum psci_conduit conduit;

/* Early read of a fixture kept loaded (blob) for platform_early_psci. */
static enum dt_err read_kept(const char *name)
{
	size_t len;

	free(blob);
	blob = fixture_load(name, &len);
	return platform_early_read(blob, len, &early, &diag);
}

Test(early, qemu_tree_names_psci)
{
	cr_assert_eq(read_kept("qemu-virt-gicv3-4cpu.dtb"), DT_OK);
	cr_assert_str_eq(early.bootargs, "");
	cr_assert(platform_early_psci(blob, &conduit));
	cr_assert_eq(conduit, PSCI_CONDUIT_HVC);
	cr_assert_eq(read_kept("qemu-virt-gicv3-4cpu-el2.dtb"), DT_OK);
	cr_assert(platform_early_psci(blob, &conduit));
	cr_assert_eq(conduit, PSCI_CONDUIT_SMC);
}

Test(early, bootargs_from_chosen)
{
	cr_assert_eq(read_kept("handmade-bus-reserved.dtb"), DT_OK);
	cr_assert_str_eq(early.bootargs, "loglevel=info runtime_ms=250");
	cr_assert(platform_early_psci(blob, &conduit), "found by compatible, not at /psci");
	cr_assert_eq(conduit, PSCI_CONDUIT_SMC);
	cr_assert_eq(read_kept("xen-domu-gicv3-2cpu.dtb"), DT_OK);
	cr_assert_str_eq(early.bootargs, "console=ttyAMA0");
	cr_assert(platform_early_psci(blob, &conduit));
	cr_assert_eq(conduit, PSCI_CONDUIT_HVC);
}

Test(early, a_tree_the_platform_refuses_still_gives_its_facts)
{
	cr_assert_eq(read_kept("bad-no-timer.dtb"), DT_OK);
	cr_assert(platform_early_psci(blob, &conduit));
	cr_assert_eq(read_kept("bad-no-psci.dtb"), DT_OK);
	cr_assert_not(platform_early_psci(blob, &conduit), "no PSCI node: none is guessed");
}

/* A QEMU tree edited in a buffer with room to grow. */
static void *edited(const char *chosen_prop, const void *val, int len)
{
	size_t n;
	void *in = fixture_load("qemu-virt-gicv3-1cpu.dtb", &n);
	void *buf = malloc(n + 4096);

	cr_assert_eq(fdt_open_into(in, buf, (int)n + 4096), 0);
	free(in);
	int chosen = fdt_path_offset(buf, "/chosen");
	cr_assert_geq(chosen, 0);
	cr_assert_eq(fdt_setprop(buf, chosen, chosen_prop, val, len), 0);
	return buf;
}

Test(early, malformed_bootargs_are_left_out)
{
	char big[400];
	void *b;

	b = edited("bootargs", "panic=off", 9); /* no NUL */
	cr_assert_eq(platform_early_read(b, fdt_totalsize(b), &early, &diag), DT_OK);
	cr_assert_str_eq(early.bootargs, "");
	free(b);
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	b = edited("bootargs", big, sizeof(big));
	cr_assert_eq(platform_early_read(b, fdt_totalsize(b), &early, &diag), DT_OK);
	cr_assert_str_eq(early.bootargs, "", "longer than the platform keeps");
	free(b);
	b = edited("bootargs", "panic=off", 10);
	cr_assert_eq(platform_early_read(b, fdt_totalsize(b), &early, &diag), DT_OK);
	cr_assert_str_eq(early.bootargs, "panic=off");
	free(b);
}

Test(early, psci_method_must_be_hvc_or_smc)
{
	size_t n;
	void *in = fixture_load("qemu-virt-gicv3-1cpu.dtb", &n);
	void *buf = malloc(n + 256);

	cr_assert_eq(fdt_open_into(in, buf, (int)n + 256), 0);
	free(in);
	int psci = fdt_node_offset_by_compatible(buf, -1, "arm,psci-0.2");
	cr_assert_geq(psci, 0);
	cr_assert_eq(fdt_setprop_string(buf, psci, "method", "svc"), 0);
	cr_assert_eq(platform_early_read(buf, fdt_totalsize(buf), &early, &diag), DT_OK);
	cr_assert_not(platform_early_psci(buf, &conduit));
	free(buf);
}

Test(early, a_blob_that_fails_its_check_gives_nothing)
{
	static const unsigned char junk[64] = { 0x2f, 0x64, 0x74, 0x73 };

	strcpy(early.bootargs, "stale");
	cr_assert_neq(platform_early_read(junk, sizeof(junk), &early, &diag), DT_OK);
	cr_assert_str_eq(early.bootargs, "");
}

/* Bytes flipped anywhere in a real tree: the early read (and the uninstrumented libfdt
 * under it) never reads past the blob, which ends at an unmapped page, whatever it finds. */
Test(early, mutated_trees_are_read_safely)
{
	size_t len;
	unsigned char *orig = fixture_load("handmade-bus-reserved.dtb", &len);
	size_t span = (len + 4095) & ~(size_t)4095;
	unsigned char *map = mmap(NULL, span + 4096, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *buf = map + ((span - len) & ~(size_t)7); /* ends within 8 bytes of it */
	uint32_t x = 12345;
	unsigned int accepted = 0;

	cr_assert_neq(map, MAP_FAILED);
	cr_assert_eq(mprotect(map + span, 4096, PROT_NONE), 0);
	for (int round = 0; round < 3000; round++) {
		memcpy(buf, orig, len);
		for (int k = 0; k < 1 + round % 4; k++) {
			x = x * 1103515245u + 12345u;
			buf[(x >> 8) % len] ^= (unsigned char)(1u << (x >> 28 & 7));
		}
		if (platform_early_read(buf, len, &early, &diag) == DT_OK) {
			accepted++;
			if (platform_early_psci(buf, &conduit))
				cr_assert_leq(conduit, PSCI_CONDUIT_SMC);
			cr_assert_lt(strlen(early.bootargs), sizeof(early.bootargs));
		}
	}
	cr_assert_gt(accepted, 100, "most single flips leave the header intact");
	munmap(map, span + 4096);
	free(orig);
}

/* A structure block whose property length leads libfdt's walk back to itself passes the
 * header check: the early read must refuse it, never walk it (it runs at a stop, before
 * the panic policy is known; a hang there ignores panic=off). The timeout fails a hang. */
Test(early, looping_structure_is_refused, .timeout = 10)
{
	static uint64_t b[(1 << 16) / 8];
	FILE *f = fopen("tests/fuzz/regressions/platform/property-length-loops-back", "rb");
	size_t len;

	cr_assert_not_null(f);
	len = fread(b, 1, sizeof(b), f);
	fclose(f);
	cr_assert_neq(platform_early_read(b, len, &early, &diag), DT_OK);
}
