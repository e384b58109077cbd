/* core/initrd.c: where an initrd may lie. */
#include <criterion/criterion.h>
#include <string.h>
#include "core/initrd.h"

static struct platform plat;
static struct initrd_env env;
static struct pa_range clash;

static struct pa_range R(uint64_t base, uint64_t size)
{
	return (struct pa_range){ pa_init(base), size };
}

static void setup(void)
{
	memset(&plat, 0, sizeof(plat));
	/* Two RAM ranges that touch, one apart; a reserved range; kernel and DTB in RAM. */
	plat.ram[0] = R(0x40000000, 0x10000000);
	plat.ram[1] = R(0x50000000, 0x10000000);
	plat.ram[2] = R(0x80000000, 0x10000000);
	plat.n_ram = 3;
	plat.reserved[0] = R(0x48000000, 0x10000);
	plat.n_reserved = 1;
	env = (struct initrd_env){ &plat, R(0x40200000, 0x80000), R(0x44000000, 0x2000) };
}

static enum initrd_err check(uint64_t base, uint64_t size)
{
	struct pa_range r = R(base, size);

	return initrd_check(&r, &env, &clash);
}

TestSuite(initrd, .init = setup);

Test(initrd, in_free_ram_is_fine)
{
	cr_assert_eq(check(0x48100000, 0x1000), INITRD_OK);
	cr_assert_eq(check(0x4ffff000, 0x2000), INITRD_OK, "across two RAM ranges that touch");
	cr_assert_eq(check(0x80000000, 0x10000000), INITRD_OK, "a whole range");
}

Test(initrd, outside_ram_is_refused_with_the_gap)
{
	cr_assert_eq(check(0x8000000, 0x1000), INITRD_NOT_IN_RAM);
	cr_assert_eq(pa_addr(clash.base), 0x8000000);
	cr_assert_eq(clash.size, 0x1000);
	cr_assert_eq(check(0x5ffff000, 0x2000), INITRD_NOT_IN_RAM, "runs off the end of RAM");
	cr_assert_eq(pa_addr(clash.base), 0x60000000);
	cr_assert_eq(clash.size, 0x1000);
	cr_assert_eq(check(0x3ffff000, 0x2000), INITRD_NOT_IN_RAM, "starts below RAM");
	cr_assert_eq(pa_addr(clash.base), 0x3ffff000);
	cr_assert_eq(clash.size, 0x1000);
	cr_assert_eq(check(0x5ffff000, 0x20002000), INITRD_NOT_IN_RAM, "over the hole between ranges");
	cr_assert_eq(pa_addr(clash.base), 0x60000000);
	cr_assert_eq(clash.size, 0x20000000);
}

Test(initrd, over_the_kernel_the_dtb_or_reserved_memory_is_refused)
{
	cr_assert_eq(check(0x40200000, 0x1000), INITRD_OVERLAPS_KERNEL);
	cr_assert_eq(pa_addr(clash.base), 0x40200000);
	cr_assert_eq(clash.size, 0x80000);
	cr_assert_eq(check(0x40100000, 0x100001), INITRD_OVERLAPS_KERNEL, "its last byte");
	cr_assert_eq(check(0x4027f000, 0x2000), INITRD_OVERLAPS_KERNEL, "its last page");
	cr_assert_eq(check(0x40280000, 0x1000), INITRD_OK, "right after it");
	cr_assert_eq(check(0x44001fff, 0x10), INITRD_OVERLAPS_DTB);
	cr_assert_eq(pa_addr(clash.base), 0x44000000);
	cr_assert_eq(check(0x47ff0000, 0x10001), INITRD_OVERLAPS_RESERVED);
	cr_assert_eq(pa_addr(clash.base), 0x48000000);
	cr_assert_eq(clash.size, 0x10000);
}

Test(initrd, its_own_reservation_is_allowed)
{
	/* U-Boot reserves the initrd it loads with a /memreserve/ entry of its exact range. */
	cr_assert_eq(check(0x48000000, 0x10000), INITRD_OK);
	cr_assert_eq(check(0x48000000, 0x8000), INITRD_OVERLAPS_RESERVED, "part of a reservation");
}

Test(initrd, empty_and_wrapping_ranges)
{
	cr_assert_eq(check(0x48100000, 0), INITRD_EMPTY);
	cr_assert_eq(check(0xfffffffffffff000ULL, 0x2000), INITRD_WRAPS);
	env.dtb.size = 0; /* a DTB not in RAM: nothing to avoid */
	cr_assert_eq(check(0x44000000, 0x1000), INITRD_OK);
	for (int e = INITRD_OK; e <= INITRD_OVERLAPS_RESERVED; e++)
		cr_assert_neq(strcmp(initrd_strerror((enum initrd_err)e), "?"), 0);
	cr_assert_str_eq(initrd_strerror((enum initrd_err)99), "?");
}
