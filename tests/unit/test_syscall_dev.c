/*
 * The device calls (device_info, irq_wait, irq_ack) through core/syscall.c: a handle is
 * checked against the caller's own capability table before any op runs; every refusal
 * is a syscall_violation naming what cap_lookup found.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "core/syscall.h"
#include "fake_ops.h"
#include "fake_space.h"

TestSuite(syscall_dev, .init = fake_ops_setup, .fini = fake_ops_teardown);

#define HEAP_A 0x10000000ull

Test(syscall_dev, device_info_copies_what_the_op_says)
{
	bh_cap_t h = cap_handle_of(&caps_a, 1);
	struct bh_device_info info;

	cr_assert_eq(sys(&caller_a, BH_SYS_DEVICE_INFO, h, HEAP_A + 8, 0), 0);
	cr_assert_eq(fake_rec.count[OP_DEVINFO], 1);
	cr_assert_eq(fake_rec.slot, 1);
	memcpy(&info, fake_byte(&fake_a, HEAP_A + 8), sizeof(info));
	cr_assert_eq(info.va, FAKE_DEV_VA + 1);
	cr_assert_eq(info.bytes, 0x1000);
	cr_assert_eq(info.n_irq, 0, "what the op leaves alone is zero");
	cr_assert_eq(fake_log.lines, 0);
}

Test(syscall_dev, irq_calls_reach_their_op_with_the_slot)
{
	bh_cap_t h = cap_handle_of(&caps_a, 0);

	cr_assert_eq(sys(&caller_a, BH_SYS_IRQ_WAIT, h, 5000, 0), -(int64_t)BH_E_TIMEOUT);
	cr_assert_eq(fake_rec.count[OP_IRQ_WAIT], 1);
	cr_assert_eq(fake_rec.timeout_ns, 5000);
	cr_assert_eq(fake_rec.slot, 0);
	cr_assert_eq(fake_rec.violations, 0, "a timeout is an answer, not a violation");
	fake_reset();
	cr_assert_eq(sys(&caller_a, BH_SYS_IRQ_ACK, h, 0, 0), 0);
	cr_assert_eq(fake_rec.count[OP_IRQ_ACK], 1);
	cr_assert_eq(fake_log.lines, 0);
}

Test(syscall_dev, bad_handles_are_violations)
{
	bh_cap_t mine = cap_handle_of(&caps_a, 0);
	bh_cap_t theirs = cap_handle_of(&caps_b, 0);
	static const uint64_t nrs[] = { BH_SYS_DEVICE_INFO, BH_SYS_IRQ_WAIT, BH_SYS_IRQ_ACK };
	static const char *const names[] = { "device_info", "irq_wait", "irq_ack" };

	for (unsigned int i = 0; i < 3; i++) {
		expect_violation(&caller_a, nrs[i], 0, HEAP_A, 0, BH_E_HANDLE, names[i], "bad-handle", 0,
				 cap_strerror(CAP_E_FORGED));
		expect_violation(&caller_a, nrs[i], mine ^ 0x1000, HEAP_A, 0, BH_E_HANDLE, names[i],
				 "bad-handle", 0, cap_strerror(CAP_E_FORGED));
		expect_violation(&caller_a, nrs[i], (uint64_t)mine | 1ull << 32, HEAP_A, 0,
				 BH_E_HANDLE, names[i], "bad-handle", 0, cap_strerror(CAP_E_FORGED));
		expect_violation(&caller_a, nrs[i], theirs, HEAP_A, 0, BH_E_HANDLE, names[i],
				 "bad-handle", 0, cap_strerror(CAP_E_FOREIGN));
		expect_violation(&caller_a, nrs[i], cap_handle_make(0, 3, 1), HEAP_A, 0, BH_E_HANDLE,
				 names[i], "bad-handle", 0, cap_strerror(CAP_E_RANGE));
		expect_violation(&caller_a, nrs[i], cap_handle_make(0, 0, 2), HEAP_A, 0, BH_E_HANDLE,
				 names[i], "bad-handle", 0, cap_strerror(CAP_E_STALE));
		expect_violation(&caller_a, nrs[i], cap_handle_of(&caps_a, 2), HEAP_A, 0, BH_E_HANDLE,
				 names[i], "bad-handle", 0, cap_strerror(CAP_E_KIND));
	}
	/* Slot 1 has no interrupt: waiting on or acknowledging it lacks the right. */
	expect_violation(&caller_a, BH_SYS_IRQ_WAIT, cap_handle_of(&caps_a, 1), 0, 0, BH_E_PERM,
			 "irq_wait", "not-permitted", 0, cap_strerror(CAP_E_RIGHT));
	expect_violation(&caller_a, BH_SYS_IRQ_ACK, cap_handle_of(&caps_a, 1), 0, 0, BH_E_PERM,
			 "irq_ack", "not-permitted", 0, cap_strerror(CAP_E_RIGHT));
}

Test(syscall_dev, a_revoked_capability_is_stale)
{
	bh_cap_t h = cap_handle_of(&caps_a, 0);

	cr_assert(cap_revoke(&caps_a, 0));
	expect_violation(&caller_a, BH_SYS_IRQ_ACK, h, 0, 0, BH_E_HANDLE, "irq_ack", "bad-handle", 0,
			 cap_strerror(CAP_E_STALE));
	cr_assert(cap_regrant(&caps_a, 0));
	expect_violation(&caller_a, BH_SYS_IRQ_ACK, h, 0, 0, BH_E_HANDLE, "irq_ack", "bad-handle", 0,
			 cap_strerror(CAP_E_STALE));
	fake_reset();
	cr_assert_eq(sys(&caller_a, BH_SYS_IRQ_ACK, cap_handle_of(&caps_a, 0), 0, 0), 0);
}

Test(syscall_dev, a_caller_without_a_table_holds_nothing)
{
	caller_b.caps = NULL;
	expect_violation(&caller_b, BH_SYS_IRQ_ACK, cap_handle_of(&caps_b, 0), 0, 0, BH_E_HANDLE,
			 "irq_ack", "bad-handle", 0, cap_strerror(CAP_E_RANGE));
}

Test(syscall_dev, device_info_checks_the_handle_before_the_pointer)
{
	bh_cap_t h = cap_handle_of(&caps_a, 0);

	/* A good handle, a read-only destination: bad-address on x1. */
	expect_violation(&caller_a, BH_SYS_DEVICE_INFO, h, 0x401000, 0, BH_E_FAULT, "device_info",
			 "bad-address", 1, "read-only");
	/* A bad handle and a bad pointer: the handle is what is reported. */
	expect_violation(&caller_a, BH_SYS_DEVICE_INFO, 7, 0, 0, BH_E_HANDLE, "device_info",
			 "bad-handle", 0, cap_strerror(CAP_E_FORGED));
}

/* The kernel's limit on violation events: a muted refusal is not logged but still goes
 * to the health monitor; the next logged one says how many were not. */
Test(syscall_dev, violation_events_can_be_limited)
{
	struct jobj o;

	fake_reset();
	fake_rec.mute = true;
	cr_assert_eq(sys(&caller_a, 0x3ff, 0, 0, 0), -(int64_t)BH_E_NOSYS);
	cr_assert_eq(fake_log.lines, 0, "not logged");
	cr_assert_eq(fake_rec.violations, 1, "the health monitor still hears of it");
	fake_reset();
	fake_rec.suppressed_next = 41;
	cr_assert_eq(sys(&caller_a, BH_SYS_IRQ_ACK, 5, 0, 0), -(int64_t)BH_E_HANDLE);
	only_line(&o);
	cr_assert_eq(jobj_u64(&o, "suppressed", 0), 41);
	fake_reset();
	cr_assert_eq(sys(&caller_a, BH_SYS_IRQ_ACK, 5, 0, 0), -(int64_t)BH_E_HANDLE);
	only_line(&o);
	cr_assert_null(jobj_get(&o, "suppressed"), "none suppressed: no field");
}
