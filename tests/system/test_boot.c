/* System tests: build/bulkhead.img booted bare metal in QEMU virt. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "qemu.h"

/* Parameters are copied into the test's process: no pointers, only values. */
struct boot_case {
	char cpu[16];
	int gic;
	int smp;
	bool el2;
};

#define dump_on_failure run_dump

ParameterizedTestParameters(boot, matrix)
{
	static struct boot_case cases[] = {
		{ "cortex-a53", 2, 1, false }, { "cortex-a57", 2, 4, false },
		{ "cortex-a72", 2, 2, true },  { "cortex-a53", 3, 4, true },
		{ "cortex-a57", 3, 1, true },  { "cortex-a72", 3, 4, false },
		{ "cortex-a57", 2, 4, true },  { "cortex-a72", 3, 1, false },
	};
	return cr_make_param_array(struct boot_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct boot_case *c, boot, matrix, .timeout = 180)
{
	struct qemu_run r;
	/* The built-in demo plan needs 2 CPUs: one CPU boots the single-partition plan. */
	struct qemu_opts o = { .cpu = c->cpu, .gic = c->gic, .smp = c->smp, .el2 = c->el2,
			       .append = "loglevel=info runtime_ms=200",
			       .initrd = c->smp == 1 ? BH_PLANS "/single.dtb" : NULL };
	char gic[4];
	bool seen[8] = { false };

	qemu_boot(&o, &r);
	dump_on_failure(&r);
	cr_assert_not(r.timed_out, "QEMU did not stop by itself");
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(r.n_other, 0, "every console line is one JSON object");
	for (int i = 0; i < r.n_events; i++) {
		const char *lvl = jobj_str(&r.events[i], "lvl");

		cr_assert(!strcmp(lvl, "info"), "unexpected %s event %s", lvl,
			  jobj_str(&r.events[i], "ev"));
		cr_assert_not_null(jobj_get(&r.events[i], "ts"));
		cr_assert_not_null(jobj_get(&r.events[i], "cpu"));
		cr_assert_not_null(jobj_get(&r.events[i], "sub"));
	}

	const struct jobj *p = run_find(&r, "platform", 0);
	cr_assert_not_null(p, "platform summary");
	snprintf(gic, sizeof(gic), "v%d", c->gic);
	cr_assert_str_eq(jobj_str(p, "gic"), gic);
	cr_assert_eq(jobj_u64(p, "cpus", 0), (uint64_t)c->smp);
	cr_assert_eq(jobj_u64(p, "ram_bytes", 0), 512ULL << 20);
	cr_assert_str_eq(jobj_str(p, "hypervisor"), "none");
	cr_assert_str_eq(jobj_str(p, "hypervisor_version"), "none");
	cr_assert_str_eq(jobj_str(p, "power"), "psci", "bare metal powers off through PSCI");
	cr_assert_eq(run_count(&r, "watchdog_armed"), 0, "no Xen, no Xen watchdog");
	cr_assert_str_eq(jobj_str(p, "console"), "pl011");
	cr_assert_str_eq(jobj_str(p, "psci"), c->el2 ? "smc" : "hvc");

	const struct jobj *plan = run_find(&r, "plan", 0);
	cr_assert_not_null(plan, "the plan was accepted");
	cr_assert_str_eq(jobj_str(plan, "source"), c->smp == 1 ? "initrd" : "embedded");
	cr_assert_eq(jobj_u64(plan, "partitions", 0), c->smp == 1 ? 1u : 3u);
	/* One key, one meaning: platform's cpus is the machine's, the plan's are scheduled. */
	cr_assert_eq(jobj_u64(plan, "cpus_scheduled", 0), c->smp == 1 ? 1u : 2u);
	cr_assert_null(jobj_get(plan, "cpus"));
	/* The kernel measured exactly the blob it was given. */
	assert_sha256_of(jobj_str(plan, "sha256"),
			 c->smp == 1 ? BH_PLANS "/single.dtb" : BH_BUILD "/plan/plan.dtb");

	cr_assert_eq(run_count(&r, "cpu_online"), c->smp, "every CPU reports in");
	for (int i = 0; i < c->smp; i++) {
		const struct jobj *e = run_find(&r, "cpu_online", i);
		uint64_t cpu = jobj_u64(e, "cpu", 99);

		cr_assert_lt(cpu, (uint64_t)c->smp);
		cr_assert_not(seen[cpu], "cpu %lu online twice", (unsigned long)cpu);
		seen[cpu] = true;
		cr_assert_eq(jobj_u64(e, "entry_el", 0), c->el2 ? 2u : 1u);
	}
	const struct jobj *s = run_find(&r, "shutdown", 0);
	cr_assert_not_null(s, "clean shutdown event");
	cr_assert_geq(jobj_u64(s, "uptime_ms", 0), 200);
	cr_assert_eq(run_count(&r, "shutdown"), 1);
	qemu_run_free(&r);
}

Test(boot, default_level_prints_nothing, .timeout = 180)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 4, .append = "runtime_ms=100" };

	qemu_boot(&o, &r);
	dump_on_failure(&r);
	cr_assert_not(r.timed_out);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_str_eq(r.output, "", "a healthy boot and shutdown print nothing");
	qemu_run_free(&r);
}

/* QEMU's exception trace (-d int) of a run: what the kernel did, seen from outside, without
 * the kernel printing anything. */
#define TRACE_PSCI "handled as PSCI call"
#define TRACE_EXC "Taking exception"
#define TRACE_EXC_SVC "[SVC]"
#define TRACE_EXC_IRQ "[IRQ]"

/* Exceptions in a trace other than the partitions' system calls and interrupts (which
 * depend on how long the run lasted). */
static int other_exceptions(const char *trace)
{
	return file_count(trace, TRACE_EXC) - file_count(trace, TRACE_EXC_SVC) -
	       file_count(trace, TRACE_EXC_IRQ);
}

static void trace_path(char *buf, size_t cap, const char *what)
{
	/* Under the build folder: a failed run leaves its trace there to read, and make clean. */
	snprintf(buf, cap, BH_BUILD "/test/trace-%d-%s.log", (int)getpid(), what);
}

Test(boot, no_bootargs_still_boots_silently, .timeout = 240)
{
	struct qemu_run r;
	char twin_trace[96], trace[96];

	/* The twin: the same machine at loglevel=info, watched until it says boot_done. Its
	 * trace holds every exception a complete boot takes: the PSCI calls (version, features,
	 * one CPU_ON per secondary CPU) that come just before boot_done, and nothing else. */
	trace_path(twin_trace, sizeof(twin_trace), "twin");
	struct qemu_opts twin = { .gic = 2, .smp = 4, .append = "loglevel=info", .trace = twin_trace,
				  .until = "\"ev\":\"boot_done\"", .linger_s = 1 };
	qemu_boot(&twin, &r);
	dump_on_failure(&r);
	cr_assert(r.until_seen, "the twin booted");
	cr_assert_eq(run_count(&r, "cpu_online"), 4);
	int psci = file_count(twin_trace, TRACE_PSCI), exc = other_exceptions(twin_trace);
	cr_assert_geq(psci, 3, "one CPU_ON per secondary CPU at least");
	qemu_run_free(&r);

	/* No boot arguments at all: no runtime_ms, so the kernel runs until stopped. It must
	 * print nothing, yet be seen making the same PSCI calls (every secondary CPU started,
	 * the last step before boot_done), take no other exception (no fault; the partitions'
	 * system calls and the timer's interrupts aside) and keep running. */
	trace_path(trace, sizeof(trace), "silent");
	struct qemu_opts o = { .gic = 2, .smp = 4, .trace = trace, .trace_until = TRACE_PSCI,
			       .trace_count = psci, .linger_s = 2, .timeout_s = 60 };
	qemu_boot(&o, &r);
	dump_on_failure(&r);
	cr_assert(r.until_seen, "the kernel never made the %d PSCI calls of a boot (%d seen)", psci,
		  file_count(trace, TRACE_PSCI));
	cr_assert(r.timed_out, "without runtime_ms the kernel keeps running");
	cr_assert_str_eq(r.output, "", "a boot without arguments prints nothing");
	cr_assert_eq(file_count(trace, TRACE_PSCI), psci, "no PSCI call after the boot (no power-off)");
	cr_assert_eq(other_exceptions(trace), exc, "the same exceptions as the twin: no fault");
	unlink(twin_trace);
	unlink(trace);
	qemu_run_free(&r);
}

Test(boot, unknown_and_bad_bootargs_warn, .timeout = 180)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 1, .initrd = BH_PLANS "/single.dtb",
			       .append = "runtime_ms=100 frobnicate=1 loglevel=loud panic=off" };

	qemu_boot(&o, &r);
	dump_on_failure(&r);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(run_count(&r, "bootarg_ignored"), 2);
	const struct jobj *a = run_find(&r, "bootarg_ignored", 0), *b = run_find(&r, "bootarg_ignored", 1);
	cr_assert_str_eq(jobj_str(a, "arg"), "frobnicate=1");
	cr_assert_str_eq(jobj_str(a, "why"), "unknown argument");
	cr_assert_str_eq(jobj_str(a, "lvl"), "warn");
	cr_assert_str_eq(jobj_str(b, "arg"), "loglevel=loud");
	cr_assert_str_eq(jobj_str(b, "why"), "value not accepted");
	cr_assert_str_eq(jobj_str(b, "accepted"), "error|warn|info|debug|trace");
	cr_assert(strstr(jobj_str(a, "accepted"), "loglevel|runtime_ms|panic"), "the known arguments");
	cr_assert_eq(run_count(&r, "platform"), 0, "level stays at warn");
	qemu_run_free(&r);
}

Test(boot, unexpected_exception_is_decoded_then_the_machine_powers_off, .timeout = 180)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 4, .el2 = true,
			       .append = "test_fault=1 panic=off runtime_ms=5000" };

	qemu_boot(&o, &r);
	dump_on_failure(&r);
	cr_assert_not(r.timed_out, "panic=off powers the machine off");
	cr_assert_eq(r.n_events, 2, "exactly two lines: the fault, then the stop");
	const struct jobj *stop = run_find(&r, "stop", 0);
	cr_assert_not_null(stop);
	cr_assert_str_eq(jobj_str(stop, "lvl"), "error");
	cr_assert_str_eq(jobj_str(stop, "action"), "off");
	cr_assert_str_eq(jobj_str(&r.events[1], "ev"), "stop", "the stop line comes last");
	const struct jobj *f = run_find(&r, "kernel_fault", 0);
	cr_assert_not_null(f);
	cr_assert_str_eq(jobj_str(f, "lvl"), "error");
	cr_assert_str_eq(jobj_str(f, "class"), "data abort (same EL)");
	cr_assert_str_eq(jobj_str(f, "ec"), "0x25");
	cr_assert(strstr(jobj_str(f, "fault"), "translation fault"), "%s", jobj_str(f, "fault"));
	cr_assert_str_eq(jobj_str(f, "access"), "read");
	cr_assert_str_eq(jobj_str(f, "far"), "0xfffff000");
	cr_assert_str_eq(jobj_str(f, "vector"), "sync, current EL, SP_ELx");
	cr_assert_not_null(jobj_get(f, "elr"));
	cr_assert_not_null(jobj_get(f, "elr_offset"));
	cr_assert_eq(run_count(&r, "shutdown"), 0);
	qemu_run_free(&r);
}

Test(boot, reads_the_pl031_bare_metal, .timeout = 180)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 1, .initrd = BH_PLANS "/single.dtb",
			       .append = "loglevel=info runtime_ms=100 test_rtc=1" };
	time_t before = time(NULL);

	qemu_boot(&o, &r);
	dump_on_failure(&r);
	cr_assert_eq(r.exit_status, 0);
	const struct jobj *t = run_find(&r, "test_rtc", 0);

	assert_rtc_plausible(t, (long long)before);
	cr_assert_str_eq(jobj_str(t, "path"), "/pl031@9010000");
	cr_assert_str_eq(jobj_str(t, "base"), "0x9010000");
	qemu_run_free(&r);
}

Test(boot, fault_with_panic_halt_stops_every_cpu_and_stays_halted, .timeout = 180)
{
	struct qemu_run r;
	char trace[96];

	/* Watched 2 s after the stop line. In virtual time an idle machine jumps to its next
	 * deadline, so a runtime_ms timer still armed would have powered it off by then. */
	trace_path(trace, sizeof(trace), "halt");
	struct qemu_opts o = { .gic = 2, .smp = 4, .trace = trace, .until = "\"ev\":\"stop\"",
			       .linger_s = 2, .append = "test_fault=1 panic=halt runtime_ms=500" };

	qemu_boot(&o, &r);
	dump_on_failure(&r);
	cr_assert(r.until_seen, "no stop line");
	cr_assert(r.timed_out, "halted CPUs never power off, even past runtime_ms");
	cr_assert_eq(run_count(&r, "kernel_fault"), 1);
	cr_assert_str_eq(jobj_str(run_find(&r, "stop", 0), "action"), "halt");
	cr_assert_eq(run_count(&r, "shutdown"), 0, "the runtime_ms timer never fires after a halt");
	/* The other CPUs, seen from outside: after CPU 0's data abort each takes one interrupt
	 * (the stop SGI) and nothing after it (parked with interrupts masked). */
	for (int cpu = 1; cpu < 4; cpu++) {
		char irq[64];
		int n;

		snprintf(irq, sizeof(irq), TRACE_EXC " 5 [IRQ] on CPU %d", cpu);
		n = file_count_after(trace, TRACE_EXC " 4 [Data Abort] on CPU 0", irq);
		cr_assert_eq(n, 1, "CPU %d took %d interrupts after the fault, expected the stop", cpu, n);
	}
	unlink(trace);
	qemu_run_free(&r);
}

/* A device tree Bulkhead cannot use: one precise error line, then a halt (no crash). */
static void expect_dt_error(const char *dtb, const char *error, const char *path, const char *what)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 2, .dtb = dtb, .until = "\"ev\":\"stop\"",
			       .linger_s = 1, .append = "loglevel=info runtime_ms=100" };

	qemu_boot(&o, &r);
	dump_on_failure(&r);
	cr_assert(r.until_seen && r.timed_out,
		  "halted, never powered off (no PSCI is trusted from a bad tree)");
	cr_assert_eq(r.n_lines, 2, "exactly two lines: the error, then the stop");
	cr_assert_str_eq(jobj_str(run_find(&r, "stop", 0), "action"), "halt");
	const struct jobj *e = run_find(&r, "dt_invalid", 0);
	cr_assert_not_null(e);
	cr_assert_str_eq(jobj_str(e, "lvl"), "error");
	cr_assert_str_eq(jobj_str(e, "error"), error);
	cr_assert_str_eq(jobj_str(e, "path"), path);
	cr_assert(strstr(jobj_str(e, "what"), what), "%s", jobj_str(e, "what"));
	qemu_run_free(&r);
}

Test(boot_bad_dt, missing_timer_halts_with_precise_error, .timeout = 180)
{
	expect_dt_error(BH_FIXTURES "/bad-no-timer.dtb", "required node missing", "",
			"expected a timer compatible with arm,armv8-timer");
}

Test(boot_bad_dt, malformed_reg_halts_with_precise_error, .timeout = 180)
{
	expect_dt_error(BH_FIXTURES "/bad-reg-size.dtb", "malformed address range", "/pl011@9000000",
			"'reg' is 12 bytes, expected a non-zero multiple of 16");
}

/* A plan that breaks a rule: its error lines, the stop, and nothing started. */
Test(boot_plan, an_invalid_plan_stops_the_boot_before_anything_starts, .timeout = 180)
{
	struct qemu_run r;
	struct qemu_opts o = { .gic = 3, .smp = 2,
			       .initrd = BH_FIXTURES "/plans/bad-window-overlap.dtb",
			       .append = "panic=off runtime_ms=5000" };

	qemu_boot(&o, &r);
	dump_on_failure(&r);
	cr_assert_not(r.timed_out, "panic=off powers off after the errors");
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(run_count(&r, "plan_invalid"), 1);
	const struct jobj *e = run_find(&r, "plan_invalid", 0);
	cr_assert_str_eq(jobj_str(e, "lvl"), "error");
	cr_assert_str_eq(jobj_str(e, "source"), "initrd");
	cr_assert_str_eq(jobj_str(e, "rule"), "window-overlap");
	cr_assert_str_eq(jobj_str(e, "path"), "/schedule/cpu@0/window@1");
	cr_assert_str_eq(jobj_str(e, "what"), "4000..6000 us overlaps window@0 (0..5000 us)");
	const struct jobj *refused = run_find(&r, "plan_refused", 0);
	cr_assert_not_null(refused);
	cr_assert_eq(jobj_u64(refused, "errors", 0), 1);
	assert_sha256_of(jobj_str(refused, "sha256"), o.initrd);
	cr_assert_str_eq(jobj_str(run_find(&r, "stop", 0), "action"), "off");
	cr_assert_eq(r.n_events, 3, "the finding, the refusal, the stop: nothing else at warn");
	qemu_run_free(&r);

	/* The same at info: the boot never got as far as starting a CPU. */
	o.append = "panic=off runtime_ms=5000 loglevel=info";
	qemu_boot(&o, &r);
	dump_on_failure(&r);
	cr_assert_eq(run_count(&r, "plan"), 0);
	cr_assert_eq(run_count(&r, "cpu_online"), 0, "no CPU was started");
	cr_assert_eq(run_count(&r, "boot_done"), 0);
	cr_assert_eq(run_count(&r, "platform"), 1);
	qemu_run_free(&r);
}

Test(boot_plan, a_plan_the_machine_cannot_hold_is_refused, .timeout = 180)
{
	struct qemu_run r;
	/* The built-in demo plan needs CPU 1: on one CPU every such error is listed. */
	struct qemu_opts o = { .gic = 2, .smp = 1, .append = "panic=off" };

	qemu_boot(&o, &r);
	dump_on_failure(&r);
	cr_assert_eq(r.exit_status, 0);
	cr_assert_eq(run_count(&r, "plan_invalid"), 2);
	for (int i = 0; i < 2; i++) {
		const struct jobj *e = run_find(&r, "plan_invalid", i);

		cr_assert_str_eq(jobj_str(e, "source"), "embedded");
		cr_assert_str_eq(jobj_str(e, "rule"), "cpu-missing");
	}
	cr_assert_str_eq(jobj_str(run_find(&r, "plan_invalid", 0), "path"), "/partitions/actuators");
	cr_assert_str_eq(jobj_str(run_find(&r, "plan_invalid", 1), "path"), "/schedule/cpu@1");
	qemu_run_free(&r);
}
