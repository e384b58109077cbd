/*
 * Devices and channels across a health-monitor restart, bare metal under icount: a
 * driver's interrupt is quiesced and irq_wait ends; a restarted destination's queue is
 * emptied (hm_sys.h).
 */
#include <criterion/criterion.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hm_sys.h"

/* ---- Devices across a restart ---------------------------------------------------- */

/* The prints of the subject (faulty) that start with prefix: how many; *ms_max the
 * largest "after N ms" among them (for the irq_wait lines). */
static int faulty_prints(const struct hm_run *h, const char *prefix, long *ms_max)
{
	int n = 0;

	for (int i = 0; i < h->q.n_events; i++) {
		const struct jobj *e = &h->q.events[i];
		const char *t = jobj_str(e, "text"), *after;

		if (strcmp(jobj_str(e, "ev"), "print") || strcmp(jobj_str(e, "partition"), "faulty") ||
		    !t || strncmp(t, prefix, strlen(prefix)))
			continue;
		n++;
		if (ms_max && (after = strstr(t, " after ")) && atol(after + 7) > *ms_max)
			*ms_max = atol(after + 7);
	}
	return n;
}

/*
 * faulty as the PL031's driver (configs/plans/faulty-irq.dts, irq=on): in each start
 * its driver cell blocks in irq_wait (limit 3 s) and the alarm interrupt wakes it
 * (result 0, about 1 s later: the wake is the interrupt's, not the limit's); then a
 * second alarm fires with nobody waiting, so the kernel masks the line and holds it,
 * and the driver faults. The warm restart quiesces the device: the restarted driver
 * finds no interrupt held from before (irq_wait with limit 0 times out), re-initialises
 * the RTC, hands the line back with irq_ack, and its next alarm wakes it again.
 */
Test(hm, a_restart_quiesces_the_drivers_interrupt_and_irq_wait_wakes_on_it, .timeout = 300)
{
	struct hm_run h;
	long ms = 0;

	make_plan("irq-restart", "configs/plans/faulty-irq.dts", "faulty", NULL,
		  ARGS("fault=memory", "irq=on"));
	boot(DIR "/irq-restart.dtb", "5000", "faulty", &h);
	cr_assert(h.shutdown);
	cr_assert_eq(h.n_hm, 2, "the fault of each start");
	assert_str(&h.hm[0], "class", "memory-violation");
	assert_str(&h.hm[0], "action", "warm-restart");
	assert_str(&h.hm[1], "action", "stop");
	cr_assert_eq(h.n_restart, 1);
	cr_assert_eq(h.n_digest_ok, 1);
	cr_assert_eq(faulty_prints(&h, "faulty: start ", NULL), 2);
	cr_assert_eq(faulty_prints(&h, "faulty: irq at start: clean", NULL), 2,
		     "no interrupt held across the restart");
	cr_assert_eq(faulty_prints(&h, "faulty: irq at start: ", NULL), 2);
	cr_assert_eq(faulty_prints(&h, "faulty: irq_wait: interrupt after ", &ms), 2,
		     "woken by the interrupt in each start");
	cr_assert_eq(faulty_prints(&h, "faulty: irq_wait: ", NULL), 2, "never timed out");
	cr_assert(ms > 0 && ms < 3000, "the wake came before the limit: %ld ms", ms);
	cr_assert_eq(faulty_prints(&h, "faulty: second alarm raised, left pending", NULL), 2);
	cr_assert_eq(run_count(&h.q, "syscall_violation"), 0);
	hm_run_free(&h);
}

/*
 * A cell restart of a driver blocked in irq_wait (faulty-irq.dts with a periodic driver:
 * the wait outlasts its deadline, and deadline-miss restarts the cell): the restarted
 * cell no longer waits, so it starts again from its entry at once (a second "start 0"
 * line 20 ms in), and the alarm later wakes the irq_wait of the restarted run, not the
 * context the restart replaced (which would have had its x0, the entry, overwritten).
 */
Test(hm, a_cell_restart_ends_the_cells_irq_wait, .timeout = 300)
{
	struct hm_run h;

	make_plan("irq-cell", "configs/plans/faulty-irq.dts", "faulty",
		  "&{/partitions/faulty/driver} { period-us = <20000>; deadline-us = <20000>;"
		  " wcet-us = <2000>; };\n"
		  "&{/partitions/faulty/health-monitor} { deadline-miss = \"restart-cell\"; };",
		  ARGS("fault=none", "irq=on"));
	boot(DIR "/irq-cell.dtb", "1500", "faulty", &h);
	cr_assert(h.shutdown);
	cr_assert_geq(h.n_hm, 1);
	assert_str(&h.hm[0], "class", "deadline-miss");
	assert_str(&h.hm[0], "action", "restart-cell");
	cr_assert_eq(h.n_starts0, 2, "the restarted cell ran again from its entry at once");
	cr_assert_eq(faulty_prints(&h, "faulty: irq at start: clean", NULL), 2);
	cr_assert_eq(faulty_prints(&h, "faulty: irq_wait: interrupt after ", NULL), 1,
		     "the restarted run's wait got the interrupt");
	cr_assert_eq(run_count(&h.q, "partition_fault"), 0);
	hm_run_free(&h);
}

/* ---- Channels across a restart -------------------------------------------------- */

/* A queuing channel whose destination (faulty, which never receives) is restarted: the
 * source (bench's ports source, whose sends fill the depth-64 queue) sees its queue
 * emptied by the restart, one channel_reset event saying the 64 waiting were dropped. */
static const char chan_plan[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	compatible = \"bulkhead,plan\"; model = \"channel reset\"; plan-version = <1>;\n"
	"	partitions {\n"
	"		src { cpu = <0>; memory-bytes = <0x200000>; image = \"bench\";\n"
	"			heartbeat-timeout-us = <1000000>;\n"
	"			args = \"sample=0xd0400000\", \"queue=0xc0400001\";\n"
	"			driver { entry = \"bench_ports_src_main\"; priority = <10>; stack-bytes = <0x2000>; };\n"
	"			watchdog { entry = \"watchdog_main\"; priority = <20>; stack-bytes = <0x1000>;\n"
	"				period-us = <10000>; wcet-us = <50>; }; };\n"
	"		faulty { cpu = <0>; memory-bytes = <0x200000>; image = \"faulty\";\n"
	"			heartbeat-timeout-us = <1000000>; args = \"fault=memory\", \"after=10\";\n"
	"			driver { entry = \"faulty_main\"; priority = <20>; stack-bytes = <0x4000>;\n"
	"				period-us = <10000>; deadline-us = <10000>; wcet-us = <2000>; };\n"
	"			watchdog { entry = \"faulty_watchdog\"; priority = <30>; stack-bytes = <0x1000>;\n"
	"				period-us = <10000>; wcet-us = <200>; };\n"
	"			health-monitor { fault = \"warm-restart\"; restart-limit = <1>; }; };\n"
	"	};\n"
	"	schedule { major-frame-us = <10000>; #address-cells = <1>; #size-cells = <0>;\n"
	"		cpu@0 { reg = <0>; #address-cells = <1>; #size-cells = <0>;\n"
	"			window@0 { reg = <0>; partition = \"src\"; offset-us = <0>; duration-us = <5000>; };\n"
	"			window@1 { reg = <1>; partition = \"faulty\"; offset-us = <5000>; duration-us = <5000>; }; }; };\n"
	"	channels {\n"
	"		sample { kind = \"sampling\"; source = \"src\"; destinations = \"faulty\";\n"
	"			message-bytes = <64>; refresh-us = <1000000>; };\n"
	"		queue { kind = \"queuing\"; source = \"src\"; destinations = \"faulty\";\n"
	"			message-bytes = <64>; depth = <64>; }; };\n"
	"};\n";

Test(hm, a_restart_empties_the_destinations_queue, .timeout = 300)
{
	struct hm_run h;
	struct qemu_run r;
	FILE *f;

	mkdir(DIR, 0755);
	f = fopen(DIR "/chan-reset.dts", "w");
	cr_assert_not_null(f);
	fputs(chan_plan, f);
	fclose(f);
	run_capture((const char *[]){ "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", DIR "/chan-reset.dtb",
				      DIR "/chan-reset.dts", NULL }, 30, true, &r);
	cr_assert_eq(r.exit_status, 0, "%s", r.output);
	qemu_run_free(&r);
	boot(DIR "/chan-reset.dtb", "400", "faulty", &h);
	cr_assert(h.shutdown);
	cr_assert_eq(h.n_hm, 2, "a fault in each start");
	assert_str(&h.hm[0], "action", "warm-restart");
	cr_assert_eq(h.n_restart, 1);
	cr_assert_eq(run_count(&h.q, "channel_reset"), 1, "the restart emptied the queue once");
	const struct jobj *e = run_find(&h.q, "channel_reset", 0);

	cr_assert_str_eq(jobj_str(e, "channel"), "queue");
	cr_assert_str_eq(jobj_str(e, "partition"), "faulty");
	cr_assert_eq(jobj_u64(e, "dropped", 0), 64, "the full queue's 64 messages");
	hm_run_free(&h);
}
