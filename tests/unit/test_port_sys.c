/*
 * The port calls' decode and invoke (core/port_sys.c) on the demo plan's capability
 * tables: each handle checked for the caller, the port kind and the call's right (a
 * destination making a source's call is not-permitted), every pointer against the
 * caller's mappings, and a sleeping call keeps its handle in x0.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "core/cap.h"
#include "core/port_sys.h"
#include "fake_ops.h"
#include "fake_space.h"
#include "fixture.h"
#include "plan_gen.h"
#include "tests/unit/plan_arena.h"

static struct plan plan;
static struct cap_table tab[3];
static struct cap_entry mem[3][8];
static struct syscall_caller act; /* actuators (index 2), on fake space A */

#define HEAP_VA 0x10000000u  /* A: 2 pages read-write */
#define RODATA_VA 0x401000u  /* A: read-only */

static void setup(void)
{
	size_t len;
	void *blob = fixture_load("../plans/demo.dtb", &len);
	static struct plan_report rep;

	fake_ops_setup();
	plan_report_init(&rep);
	cr_assert_eq(plan_parse(blob, len, &plan, test_arena(), &rep), PLAN_OK);
	cr_assert_eq(plan_check(&plan, NULL, 0, &rep), PLAN_OK);
	free(blob);
	for (unsigned int i = 0; i < 3; i++)
		cr_assert_eq(cap_table_build(&tab[i], &plan, i, mem[i], 8, NULL, NULL), CAP_OK);
	act = (struct syscall_caller){ "actuators", "driver", 2, 0, true, &fake_a.space, &tab[2], &plan };
}

TestSuite(port_sys, .init = setup, .fini = fake_ops_teardown);

/* Actuators' slots: the GPIO, then telemetry (read), then commands (read). */
#define TELEMETRY (cap_handle_of(&tab[2], 1))
#define COMMANDS (cap_handle_of(&tab[2], 2))

static enum bh_err decode(const struct syscall_caller *c, uint64_t nr, uint64_t a0, uint64_t a1,
			  uint64_t a2, struct syscall_call *call, struct syscall_refusal *why)
{
	struct syscall_frame f = fake_frame(nr, a0, a1, a2);

	return syscall_decode(c, &f, call, why);
}

Test(port_sys, a_destination_gets_its_ports_checked)
{
	struct syscall_call call;
	struct syscall_refusal why;

	cr_assert_eq(decode(&act, BH_SYS_QUEUING_RECV, COMMANDS, HEAP_VA, 5000, &call, &why), BH_OK);
	cr_assert_eq(call.nr, (enum bh_sys)BH_SYS_QUEUING_RECV);
	cr_assert_eq(call.port.chan, 1, "commands is channel 1");
	cr_assert_eq(call.port.message_bytes, 32);
	cr_assert_eq(call.port.timeout_ns, 5000);
	cr_assert_eq(call.port.buf.len, 32);
	cr_assert_eq(decode(&act, BH_SYS_SAMPLING_READ, TELEMETRY, HEAP_VA, HEAP_VA + 0x1000, &call,
			    &why), BH_OK);
	cr_assert_eq(call.port.buf.len, 64);
	cr_assert_eq(call.port.out.len, sizeof(struct bh_sample_meta));
	cr_assert_eq(decode(&act, BH_SYS_PORT_INFO, TELEMETRY, HEAP_VA, 0, &call, &why), BH_OK);
	cr_assert_eq(call.port.rights, CAP_RIGHT_READ);
}

Test(port_sys, a_destination_making_a_sources_call_is_not_permitted)
{
	struct syscall_call call;
	struct syscall_refusal why;

	cr_assert_eq(decode(&act, BH_SYS_QUEUING_WAIT_ROOM, COMMANDS, 0, 0, &call, &why), BH_E_PERM);
	cr_assert(why.violation);
	cr_assert_eq(why.arg, 0);
	cr_assert_str_eq(why.call, "queuing_wait_room");
	cr_assert_eq(decode(&act, BH_SYS_PORT_SIGNAL, TELEMETRY, 0, 0, &call, &why), BH_E_PERM);
	cr_assert_str_eq(why.call, "port_signal");
}

Test(port_sys, handles_of_others_or_of_the_wrong_kind_are_bad)
{
	struct syscall_call call;
	struct syscall_refusal why;
	struct syscall_caller none = act;

	/* The sensors' own telemetry handle (source), named by the actuators. */
	cr_assert_eq(decode(&act, BH_SYS_SAMPLING_READ, cap_handle_of(&tab[0], 1), HEAP_VA,
			    HEAP_VA + 0x1000, &call, &why), BH_E_HANDLE);
	/* A queuing port read as sampling, and the reverse; a device named as a port. */
	cr_assert_eq(decode(&act, BH_SYS_SAMPLING_READ, COMMANDS, HEAP_VA, HEAP_VA + 0x1000, &call,
			    &why), BH_E_HANDLE);
	cr_assert_eq(decode(&act, BH_SYS_QUEUING_RECV, TELEMETRY, HEAP_VA, 0, &call, &why),
		     BH_E_HANDLE);
	cr_assert_eq(decode(&act, BH_SYS_PORT_INFO, cap_handle_of(&tab[2], 0), HEAP_VA, 0, &call,
			    &why), BH_E_HANDLE);
	cr_assert_eq(decode(&act, BH_SYS_PORT_INFO, (1ull << 32) | COMMANDS, HEAP_VA, 0, &call, &why),
		     BH_E_HANDLE, "the upper half of x0 counts");
	none.caps = NULL;
	cr_assert_eq(decode(&none, BH_SYS_PORT_INFO, COMMANDS, HEAP_VA, 0, &call, &why), BH_E_HANDLE);
}

Test(port_sys, buffers_and_timeouts_are_checked)
{
	struct syscall_call call;
	struct syscall_refusal why;

	cr_assert_eq(decode(&act, BH_SYS_QUEUING_RECV, COMMANDS, RODATA_VA, 0, &call, &why), BH_E_FAULT);
	cr_assert_eq(why.arg, 1);
	cr_assert_eq(why.why, UACCESS_ERR_NO_WRITE);
	/* 32 bytes from 16 before the end of the heap: the second part is unmapped. */
	cr_assert_eq(decode(&act, BH_SYS_QUEUING_RECV, COMMANDS, HEAP_VA + 0x2000 - 16, 0, &call,
			    &why), BH_E_FAULT);
	cr_assert_eq(decode(&act, BH_SYS_QUEUING_RECV, COMMANDS, HEAP_VA, UINT64_MAX, &call, &why),
		     BH_E_INVAL);
	cr_assert_eq(why.arg, 2);
	cr_assert_eq(decode(&act, BH_SYS_SAMPLING_READ, TELEMETRY, HEAP_VA, 0x20, &call, &why),
		     BH_E_FAULT);
	cr_assert_eq(why.arg, 2);
	cr_assert_eq(decode(&act, BH_SYS_PORT_SIGNAL + 1, 0, 0, 0, &call, &why), BH_E_NOSYS);
	cr_assert_str_eq(why.call, "reserved-port");
}

static int64_t sleeping_recv(void *ctx, const struct syscall_caller *c,
			     const struct syscall_port_call *pc)
{
	return PORT_SYS_SLEEP;
}

Test(port_sys, a_sleeping_call_keeps_its_handle_and_no_ops_is_not_implemented)
{
	struct syscall_call call;
	struct syscall_refusal why;
	struct port_ops pops = { .queuing_recv = sleeping_recv };
	struct syscall_ops ops = fake_ops;

	cr_assert_eq(decode(&act, BH_SYS_QUEUING_RECV, COMMANDS, HEAP_VA, 1, &call, &why), BH_OK);
	cr_assert_eq(syscall_invoke(&fake_ops, NULL, &act, &call), -(int64_t)BH_E_NOTIMPL);
	ops.port = &pops;
	cr_assert_eq(syscall_invoke(&ops, NULL, &act, &call), (int64_t)COMMANDS);
}

/* What the fast path's ops saw (the same call the full path would hand them). */
static struct syscall_port_call seen;
static int64_t seen_read(void *ctx, const struct syscall_caller *c, const struct syscall_port_call *pc)
{
	seen = *pc;
	return 0;
}
static int64_t seen_signal(void *ctx, const struct syscall_caller *c,
			   const struct syscall_port_call *pc)
{
	seen = *pc;
	return 0;
}

/* The fast path carries out exactly the calls the full path accepts, with the same
 * decoded call, and leaves every refusal (and every other call) to the full path. */
Test(port_sys, the_fast_path_takes_good_calls_and_leaves_refusals_to_the_full_path)
{
	struct port_ops pops = { .sampling_read = seen_read, .queuing_recv = sleeping_recv,
				 .signal = seen_signal };
	struct syscall_ops ops = fake_ops;
	struct syscall_frame f;

	ops.port = &pops;
	f = fake_frame(BH_SYS_SAMPLING_READ, TELEMETRY, HEAP_VA, HEAP_VA + 0x100);
	cr_assert(port_sys_fast(&ops, NULL, &act, &f));
	cr_assert_eq(f.x[0], 0);
	cr_assert_eq(seen.chan, 0, "telemetry is channel 0");
	cr_assert_eq(seen.buf.len, 64);
	cr_assert_eq(seen.buf.part[0].kva, fake_byte(&fake_a, HEAP_VA));
	cr_assert_eq(seen.out.len, sizeof(struct bh_sample_meta));
	cr_assert_eq(seen.out.part[0].kva, fake_byte(&fake_a, HEAP_VA + 0x100));
	f = fake_frame(BH_SYS_QUEUING_RECV, COMMANDS, HEAP_VA, 5000);
	cr_assert(port_sys_fast(&ops, NULL, &act, &f));
	cr_assert_eq(f.x[0], (uint64_t)COMMANDS, "asleep: x0 keeps the handle");
	/* Refusals: nothing done, x0 untouched; the full path refuses and logs them. */
	f = fake_frame(BH_SYS_SAMPLING_READ, TELEMETRY, RODATA_VA, HEAP_VA);
	cr_assert_not(port_sys_fast(&ops, NULL, &act, &f));
	cr_assert_eq(f.x[0], TELEMETRY);
	f = fake_frame(BH_SYS_SAMPLING_READ, TELEMETRY, HEAP_VA, RODATA_VA);
	cr_assert_not(port_sys_fast(&ops, NULL, &act, &f), "the meta pointer read-only");
	f = fake_frame(BH_SYS_SAMPLING_READ, COMMANDS, HEAP_VA, HEAP_VA);
	cr_assert_not(port_sys_fast(&ops, NULL, &act, &f), "a queuing port");
	f = fake_frame(BH_SYS_QUEUING_RECV, COMMANDS ^ 1, HEAP_VA, 0);
	cr_assert_not(port_sys_fast(&ops, NULL, &act, &f), "a forged handle");
	f = fake_frame(BH_SYS_QUEUING_RECV, COMMANDS, HEAP_VA, (uint64_t)-1);
	cr_assert_not(port_sys_fast(&ops, NULL, &act, &f), "a negative timeout");
	f = fake_frame(BH_SYS_PORT_SIGNAL, COMMANDS, 0, 0);
	cr_assert_not(port_sys_fast(&ops, NULL, &act, &f), "a destination signalling");
	f = fake_frame(BH_SYS_PORT_INFO, COMMANDS, HEAP_VA, 0);
	cr_assert_not(port_sys_fast(&ops, NULL, &act, &f), "not a fast call");
	ops.port = NULL;
	f = fake_frame(BH_SYS_SAMPLING_READ, TELEMETRY, HEAP_VA, HEAP_VA + 0x100);
	cr_assert_not(port_sys_fast(&ops, NULL, &act, &f), "no ports: the full path says so");
}
