/*
 * Capability tables (core/cap.c): slot order from the plan, handle encoding, and every
 * way a handle is refused, each with its own reason and ABI error.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/plan_arena.h"
#include "core/cap.h"
#include "dt/device_res.h"
#include "fixture.h"
#include "plan_gen.h"

static struct plan plan;

static void load_demo(void)
{
	size_t len;
	void *blob = fixture_load("../plans/demo.dtb", &len);
	static struct plan_report rep;

	plan_report_init(&rep);
	cr_assert_eq(plan_parse(blob, len, &plan, test_arena(), &rep), PLAN_OK);
	cr_assert_eq(plan_check(&plan, NULL, 0, &rep), PLAN_OK);
	free(blob);
}

/* A fake platform: every device at a made-up window with one interrupt, except a
 * path containing "noirq". */
static int resolved;
static bool fake_resolve(void *ctx, const char *path, struct cap_device *out)
{
	resolved++;
	if (strstr(path, "missing"))
		return false;
	*out = (struct cap_device){ .mmio_base = 0x9000000u + 0x10000u * (uint64_t)resolved,
				    .mmio_bytes = 0x1000 };
	if (!strstr(path, "noirq"))
		out->irq[out->n_irq++] = 32 + (uint32_t)resolved;
	return true;
}

static void build(struct cap_table *t, const char *name, struct cap_entry *mem, size_t n)
{
	int part = plan_find_partition(&plan, name);

	cr_assert_geq(part, 0);
	cr_assert_eq(cap_table_build(t, &plan, (unsigned int)part, mem, n, fake_resolve, NULL), CAP_OK);
}

Test(cap, demo_slots_devices_first_then_ports_in_channel_order)
{
	struct cap_grant g[8];
	int sensors, logger, actuators;

	load_demo();
	sensors = plan_find_partition(&plan, "sensors");
	logger = plan_find_partition(&plan, "logger");
	actuators = plan_find_partition(&plan, "actuators");
	/* sensors: the RTC, then the telemetry port (source). */
	cr_assert_eq(cap_plan_grants(&plan, (unsigned int)sensors, g, 8), 2);
	cr_assert_eq(g[0].kind, CAP_DEVICE);
	cr_assert_eq(g[0].object, 0);
	cr_assert_eq(g[1].kind, CAP_PORT);
	cr_assert_str_eq(plan.chan[g[1].object].name, "telemetry");
	cr_assert_eq(g[1].rights, CAP_RIGHT_WRITE);
	/* logger: no device; reads telemetry, writes commands. */
	cr_assert_eq(cap_plan_grants(&plan, (unsigned int)logger, g, 8), 2);
	cr_assert_eq(g[0].rights, CAP_RIGHT_READ);
	cr_assert_str_eq(plan.chan[g[1].object].name, "commands");
	cr_assert_eq(g[1].rights, CAP_RIGHT_WRITE);
	/* actuators: the GPIO, reads both. */
	cr_assert_eq(cap_plan_grants(&plan, (unsigned int)actuators, g, 8), 3);
	cr_assert_eq(g[0].kind, CAP_DEVICE);
	cr_assert_eq(g[1].rights, CAP_RIGHT_READ);
	cr_assert_eq(g[2].rights, CAP_RIGHT_READ);
	/* Counting needs no memory. */
	cr_assert_eq(cap_plan_grants(&plan, (unsigned int)actuators, NULL, 0), 3);
	cr_assert_eq(cap_plan_slots(&plan), 2 + 2 + 3, "every table together");
}

Test(cap, build_takes_the_callers_memory_and_refuses_too_little)
{
	struct cap_entry mem[3];
	struct cap_table t;

	load_demo();
	unsigned int act = (unsigned int)plan_find_partition(&plan, "actuators");

	cr_assert_eq(cap_table_build(&t, &plan, act, mem, 2, fake_resolve, NULL), CAP_E_NOMEM);
	cr_assert_eq(t.n, 0, "a failed build leaves an empty table");
	cr_assert_eq(cap_table_build(&t, &plan, act, mem, 3, fake_resolve, NULL), CAP_OK);
	cr_assert_eq(t.n, 3);
	cr_assert_eq(t.slot, mem);
	cr_assert_eq(mem[0].dev.mmio_bytes, 0x1000, "device resources from the resolver");
	cr_assert_eq(mem[0].dev.n_irq, 1);
	cr_assert_eq(mem[0].rights, CAP_RIGHT_MAP | CAP_RIGHT_IRQ);
}

Test(cap, unknown_device_and_limits_are_refused)
{
	struct cap_entry mem[4];
	struct cap_table t;

	load_demo();
	unsigned int s = (unsigned int)plan_find_partition(&plan, "sensors");

	strcpy(plan.part[s].devices[0], "/missing@0");
	cr_assert_eq(cap_table_build(&t, &plan, s, mem, 4, fake_resolve, NULL), CAP_E_DEVICE);
	strcpy(plan.part[s].devices[0], "/noirq@0");
	cr_assert_eq(cap_table_build(&t, &plan, s, mem, 4, fake_resolve, NULL), CAP_OK);
	cr_assert_eq(mem[0].rights, CAP_RIGHT_MAP, "no interrupt, no IRQ right");
	cr_assert_eq(cap_table_build(&t, &plan, s, mem, 4, NULL, NULL), CAP_OK, "no resolver: tool use");
	cr_assert_eq(cap_table_build(&t, &plan, CAP_MAX_OWNERS, mem, 4, NULL, NULL), CAP_E_LIMIT);
}

Test(cap, each_refusal_has_its_reason_and_abi_error)
{
	struct cap_entry ms[4], ml[4];
	struct cap_table ts, tl;
	const struct cap_entry *e;

	load_demo();
	build(&ts, "sensors", ms, 4);
	build(&tl, "logger", ml, 4);

	bh_cap_t rtc = cap_handle_of(&ts, 0), tele_w = cap_handle_of(&ts, 1);
	bh_cap_t tele_r = cap_handle_of(&tl, 0);

	cr_assert_neq(rtc, BH_CAP_INVALID);
	cr_assert_eq(cap_lookup(&ts, rtc, CAP_DEVICE, CAP_RIGHT_MAP, &e), CAP_OK);
	cr_assert_eq(e, &ms[0]);
	cr_assert_eq(cap_lookup(&ts, tele_w, CAP_PORT, CAP_RIGHT_WRITE, &e), CAP_OK);

	/* Another partition's handle, even for the same channel. */
	cr_assert_eq(cap_lookup(&ts, tele_r, CAP_PORT, CAP_RIGHT_READ, &e), CAP_E_FOREIGN);
	cr_assert_null(e);
	/* Writing to a port it only reads. */
	cr_assert_eq(cap_lookup(&tl, tele_r, CAP_PORT, CAP_RIGHT_WRITE, NULL), CAP_E_RIGHT);
	cr_assert_eq(cap_err_to_bh(CAP_E_RIGHT), BH_E_PERM);
	/* A device handle where a port is needed. */
	cr_assert_eq(cap_lookup(&ts, rtc, CAP_PORT, CAP_RIGHT_READ, NULL), CAP_E_KIND);
	/* A well-formed handle beyond the table. */
	cr_assert_eq(cap_lookup(&ts, cap_handle_make(ts.owner, 2, CAP_GEN_INITIAL), CAP_PORT, 0, NULL),
		     CAP_E_RANGE);
	/* Generation never issued. */
	cr_assert_eq(cap_lookup(&ts, cap_handle_make(ts.owner, 0, 2), CAP_DEVICE, 0, NULL), CAP_E_STALE);
	/* Zero, and a bit flipped. */
	cr_assert_eq(cap_lookup(&ts, BH_CAP_INVALID, CAP_DEVICE, 0, NULL), CAP_E_FORGED);
	cr_assert_eq(cap_lookup(&ts, rtc ^ 0x1u, CAP_DEVICE, 0, NULL), CAP_E_FORGED);
	cr_assert_eq(cap_lookup(&ts, cap_handle_make(ts.owner, 0, 0), CAP_DEVICE, 0, NULL), CAP_E_FORGED,
		     "generation 0 is never issued");
	for (enum cap_err c = CAP_E_FORGED; c <= CAP_E_KIND; c++)
		cr_assert_eq(cap_err_to_bh(c), BH_E_HANDLE, "%s", cap_strerror(c));
}

Test(cap, revoked_then_regranted_slot_leaves_the_old_handle_stale)
{
	struct cap_entry m[4];
	struct cap_table t;

	load_demo();
	build(&t, "sensors", m, 4);
	bh_cap_t old = cap_handle_of(&t, 1);

	cr_assert(cap_revoke(&t, 1));
	cr_assert_eq(cap_handle_of(&t, 1), BH_CAP_INVALID);
	cr_assert_eq(cap_lookup(&t, old, CAP_PORT, CAP_RIGHT_WRITE, NULL), CAP_E_STALE);
	cr_assert_not(cap_regrant(&t, 0), "slot 0 is live");
	cr_assert(cap_regrant(&t, 1));
	bh_cap_t fresh = cap_handle_of(&t, 1);

	cr_assert_neq(fresh, old);
	cr_assert_eq(cap_lookup(&t, old, CAP_PORT, CAP_RIGHT_WRITE, NULL), CAP_E_STALE);
	cr_assert_eq(cap_lookup(&t, fresh, CAP_PORT, CAP_RIGHT_WRITE, NULL), CAP_OK);
	/* Generations cycle 1..63 and skip 0. */
	for (int i = 0; i < 62; i++)
		cr_assert(cap_revoke(&t, 1) && cap_regrant(&t, 1));
	cr_assert_eq(cap_handle_of(&t, 1), old, "63 re-grants come back to the first generation");
	cr_assert_not(cap_revoke(&t, 9), "out of range");
}

/* splitmix64: seeded, so a failure reproduces. */
static uint64_t rng_state;
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

Test(cap, random_handles_validate_only_if_issued)
{
	struct cap_entry m[4];
	struct cap_table t;
	unsigned int forged = 0, other = 0;

	load_demo();
	build(&t, "actuators", m, 4);
	rng_state = 12345;
	for (unsigned int i = 0; i < 1000000; i++) {
		bh_cap_t h = (bh_cap_t)rnd();
		bool issued = false;
		const struct cap_entry *e;

		for (unsigned int s = 0; s < t.n; s++)
			issued |= h == cap_handle_of(&t, s);
		enum cap_err r = cap_lookup(&t, h, CAP_PORT, 0, &e);

		if (!issued) {
			cr_assert(r != CAP_OK && r != CAP_E_KIND, "forged 0x%08x validated", h);
			forged += r == CAP_E_FORGED;
			other += r != CAP_E_FORGED;
		}
	}
	/* The check nibble refuses about 15 in 16 at once. */
	cr_assert_gt(forged, 900000);
	cr_assert_gt(other, 0);
}

Test(cap, handle_fields_round_trip_and_are_never_zero)
{
	rng_state = 7;
	for (unsigned int i = 0; i < 100000; i++) {
		unsigned int owner = (unsigned int)(rnd() % CAP_MAX_OWNERS);
		unsigned int slot = (unsigned int)(rnd() % CAP_MAX_SLOTS);
		unsigned int gen = 1 + (unsigned int)(rnd() % CAP_GEN_MAX);
		bh_cap_t h = cap_handle_make(owner, slot, gen);

		cr_assert_neq(h, BH_CAP_INVALID);
		cr_assert_eq(h & 0xfff, slot);
		cr_assert_eq((h >> 12) & 0x3ff, owner);
		cr_assert_eq((h >> 22) & 0x3f, gen);
		/* Any single-bit change is refused as forged. */
		cr_assert_neq(cap_check_nibble((h ^ (1u << (rnd() % 28))) & 0x0fffffff), h >> 28);
	}
}

Test(cap, device_resources_come_from_the_platform_tree)
{
	size_t len;
	void *fdt = fixture_load("qemu-virt-gicv3-4cpu.dtb", &len);
	struct cap_entry m[4];
	struct cap_table t;
	struct cap_device dev;
	struct dt_diag d;

	load_demo();
	unsigned int s = (unsigned int)plan_find_partition(&plan, "sensors");
	unsigned int a = (unsigned int)plan_find_partition(&plan, "actuators");

	cr_assert_eq(cap_table_build(&t, &plan, s, m, 4, dt_device_resolver, fdt), CAP_OK);
	cr_assert_eq(m[0].dev.mmio_base, 0x9010000);
	cr_assert_eq(m[0].dev.mmio_bytes, 0x1000);
	cr_assert_eq(m[0].dev.n_irq, 1);
	cr_assert_eq(m[0].dev.irq[0], 32 + 2, "PL031: SPI 2");
	cr_assert_eq(cap_table_build(&t, &plan, a, m, 4, dt_device_resolver, fdt), CAP_OK);
	cr_assert_eq(m[0].dev.mmio_base, 0x9030000);
	cr_assert_eq(m[0].dev.irq[0], 32 + 7, "PL061: SPI 7");
	/* A node without interrupts: no IRQ right. /flash has reg but no interrupts. */
	cr_assert_eq(dt_device_resources(fdt, "/flash@0", &dev, &d), DT_OK);
	cr_assert_eq(dev.n_irq, 0);
	cr_assert_eq(dt_device_resources(fdt, "/nothing@0", &dev, &d), DT_ERR_MISSING_NODE);
	strcpy(plan.part[s].devices[0], "/nothing@0");
	cr_assert_eq(cap_table_build(&t, &plan, s, m, 4, dt_device_resolver, fdt), CAP_E_DEVICE);
	free(fdt);
}

/* On random valid plans: every channel endpoint has exactly its one port with its
 * right, every handle works in its owner's table only, and the kernel's table issues
 * exactly the handles bhplan header computes (cap_plan_grants + cap_handle_make). */
Test(cap, random_plans_grant_each_endpoint_once_and_handles_are_partition_bound)
{
	static struct gen_plan g;
	static uint8_t blob[65536];
	static struct plan_report rep;
	/* Sized for plan_gen's plans (at most GEN_PARTS partitions, GEN_CHANS channels). */
	static struct cap_entry mem[GEN_PARTS][PLAN_MAX_DEVICES + GEN_CHANS];
	static struct cap_table t[GEN_PARTS];
	unsigned int channels = 0;

	for (uint64_t seed = 1; seed <= 200; seed++) {
		size_t len;

		gen_random(&g, seed);
		len = gen_write(&g, blob, sizeof(blob));
		plan_report_init(&rep);
		cr_assert_eq(plan_parse(blob, len, &plan, test_arena(), &rep), PLAN_OK);
		cr_assert_eq(plan_check(&plan, NULL, 0, &rep), PLAN_OK);
		unsigned int ports_seen[GEN_CHANS] = { 0 }, writers[GEN_CHANS] = { 0 };

		cr_assert_leq(plan.n_part, GEN_PARTS);
		cr_assert_leq(plan.n_chan, GEN_CHANS);

		for (unsigned int p = 0; p < plan.n_part; p++) {
			struct cap_grant gr[PLAN_MAX_DEVICES + GEN_CHANS];
			unsigned int n = cap_plan_grants(&plan, p, gr, ARRAY_SIZE(gr));

			cr_assert_eq(cap_table_build(&t[p], &plan, p, mem[p], ARRAY_SIZE(mem[p]), NULL, NULL),
				     CAP_OK);
			cr_assert_eq(t[p].n, n);
			for (unsigned int s = 0; s < n; s++) {
				cr_assert_eq(cap_handle_of(&t[p], s), cap_handle_make(p, s, CAP_GEN_INITIAL),
					     "the header's value");
				cr_assert_eq(mem[p][s].kind, gr[s].kind);
				cr_assert_eq(mem[p][s].rights, gr[s].rights);
				if (gr[s].kind == CAP_PORT) {
					ports_seen[gr[s].object]++;
					writers[gr[s].object] += gr[s].rights == CAP_RIGHT_WRITE;
				}
			}
		}
		channels += plan.n_chan;
		size_t total = 0;

		for (unsigned int p = 0; p < plan.n_part; p++)
			total += t[p].n;
		cr_assert_eq(cap_plan_slots(&plan), total);
		for (unsigned int c = 0; c < plan.n_chan; c++) {
			cr_assert_eq(ports_seen[c], 1 + plan.chan[c].n_dest, "one port per endpoint");
			cr_assert_eq(writers[c], 1, "one writer: the source");
		}
		for (unsigned int p = 0; p < plan.n_part; p++)
			for (unsigned int s = 0; s < t[p].n; s++)
				for (unsigned int q = 0; q < plan.n_part; q++)
					cr_assert_eq(cap_lookup(&t[q], cap_handle_of(&t[p], s), mem[p][s].kind, 0,
								NULL),
						     p == q ? CAP_OK : CAP_E_FOREIGN);
	}
	cr_assert_gt(channels, 200, "the plans have channels to check");
}

/* cap_lookup_direct (the port calls' direct path) accepts exactly what cap_lookup
 * accepts, for every kind and right, including handles with bits above 32 set. */
static void expect_direct_agrees(const struct cap_table *t, uint64_t h)
{
	static const enum cap_kind kinds[] = { CAP_DEVICE, CAP_PORT };
	static const uint32_t rights[] = { 0, CAP_RIGHT_READ, CAP_RIGHT_WRITE, CAP_RIGHT_MAP };

	for (unsigned int k = 0; k < 2; k++)
		for (unsigned int r = 0; r < 4; r++) {
			const struct cap_entry *e = NULL;
			bool full = h <= UINT32_MAX &&
				    cap_lookup(t, (bh_cap_t)h, kinds[k], rights[r], &e) == CAP_OK;
			const struct cap_entry *d = cap_lookup_direct(t, h, kinds[k], rights[r]);

			cr_assert_eq(d, full ? e : NULL, "handle 0x%llx kind %d rights %u",
				     (unsigned long long)h, kinds[k], rights[r]);
		}
}

Test(cap, direct_lookup_accepts_exactly_what_the_full_lookup_accepts)
{
	struct cap_entry ms[4], ml[4];
	struct cap_table ts, tl;

	load_demo();
	build(&ts, "sensors", ms, 4);
	build(&tl, "logger", ml, 4);
	bh_cap_t rtc = cap_handle_of(&ts, 0), tele_w = cap_handle_of(&ts, 1);
	bh_cap_t tele_r = cap_handle_of(&tl, 0);

	cr_assert_eq(cap_lookup_direct(&ts, tele_w, CAP_PORT, CAP_RIGHT_WRITE), &ms[1]);
	cr_assert_eq(cap_lookup_direct(&tl, tele_r, CAP_PORT, CAP_RIGHT_READ), &ml[0]);
	cr_assert_null(cap_lookup_direct(&tl, tele_r, CAP_PORT, CAP_RIGHT_WRITE), "a reader writes");
	cr_assert_null(cap_lookup_direct(&ts, tele_r, CAP_PORT, CAP_RIGHT_READ), "another's handle");
	cr_assert_null(cap_lookup_direct(&ts, rtc, CAP_PORT, 0), "a device for a port");
	cr_assert_null(cap_lookup_direct(&ts, (uint64_t)1 << 32 | tele_w, CAP_PORT, 0),
		       "bits above the handle");
	cr_assert_null(cap_lookup_direct(&ts, tele_w ^ (1u << 28), CAP_PORT, 0), "check nibble");
	cr_assert_null(cap_lookup_direct(&ts, cap_handle_make(ts.owner, 1, 2), CAP_PORT, 0),
		       "a generation not issued");
	cr_assert_null(cap_lookup_direct(&ts, cap_handle_make(ts.owner, 2, 1), CAP_PORT, 0),
		       "beyond the table");
	cr_assert(cap_revoke(&ts, 1));
	cr_assert_null(cap_lookup_direct(&ts, tele_w, CAP_PORT, CAP_RIGHT_WRITE), "revoked");
	expect_direct_agrees(&ts, tele_w);
	cr_assert(cap_regrant(&ts, 1));
	cr_assert_null(cap_lookup_direct(&ts, tele_w, CAP_PORT, CAP_RIGHT_WRITE), "the old generation");
	expect_direct_agrees(&ts, cap_handle_of(&ts, 1));
	/* Every handle either table issued or could be confused with, and random ones. */
	for (unsigned int s = 0; s < 4; s++)
		for (unsigned int g = 0; g <= CAP_GEN_MAX; g++)
			for (unsigned int o = 0; o < 4; o++) {
				expect_direct_agrees(&ts, cap_handle_make(o, s, g));
				expect_direct_agrees(&tl, cap_handle_make(o, s, g));
			}
	rng_state = 777;
	for (unsigned int i = 0; i < 100000; i++) {
		uint64_t h = rnd();

		expect_direct_agrees(&ts, i & 1 ? (uint32_t)h : h);
	}
}
