/*
 * bhplan generate: a valid plan of any size, for scale runs and as a starting point.
 * Every partition runs the program `tick`; partitions go round-robin over the CPUs, and
 * each CPU's windows (1 ms each, back to back) cycle over that CPU's partitions. The
 * output depends on the options only (no dates, no paths), so it is reproducible.
 */
#include <stdio.h>
#include "bhplan.h"

#define SLOT_US 1000u       /* one window */
#define MIN_FRAME_US 10000u /* short plans idle out to 10 ms rather than tick at 1 kHz */
#define MEM_BYTES 0x100000u /* per partition: tick, two small stacks and a heap */

/* Partitions on CPU c when n go round-robin over cpus. */
static unsigned int parts_on(const struct gen_opts *o, unsigned int c)
{
	return o->partitions / o->cpus + (c < o->partitions % o->cpus);
}

const char *plan_generate_check(struct gen_opts *o)
{
	unsigned int per_cpu;

	if (o->partitions < 1 || o->partitions > GEN_MAX_PARTITIONS)
		return "--partitions must be 1..65536";
	if (o->cpus < 1 || o->cpus > PLAN_MAX_CPUS)
		return "--cpus must be 1..8";
	if (o->channels > GEN_MAX_CHANNELS)
		return "--channels must be 0..65536";
	if (o->channels && o->partitions < 2)
		return "channels need at least 2 partitions (a channel's source is not its destination)";
	if (o->cpus > o->partitions)
		o->cpus = o->partitions; /* a CPU with no partition gets no schedule */
	per_cpu = parts_on(o, 0);
	if (!o->windows)
		o->windows = per_cpu;
	if (o->windows < per_cpu)
		return "--windows must be at least the partitions per CPU (each needs a window)";
	if ((uint64_t)o->windows * SLOT_US > PLAN_MAX_FRAME_US)
		return "--windows must be at most 10000 (1 ms each, in a frame of at most 10 s)";
	return NULL;
}

static uint32_t frame_us(const struct gen_opts *o)
{
	uint32_t f = o->windows * SLOT_US;

	return f < MIN_FRAME_US ? MIN_FRAME_US : f;
}

static void header(FILE *f, const struct gen_opts *o)
{
	uint32_t fr = frame_us(o);

	fprintf(f, "/dts-v1/;\n/*\n"
		   " * Written by: bhplan generate --partitions %u --cpus %u --channels %u --windows %u\n"
		   " *\n"
		   " * %u partitions p0..p%u, each running the program `tick` (it prints\n"
		   " * \"tick NAME N\" once per period), placed round-robin on CPUs 0..%u: partition i\n"
		   " * is on CPU i %% %u. Each CPU has %u windows of %u us, back to back from offset 0,\n"
		   " * cycling over its own partitions; the major frame is %u us.\n"
		   " *\n"
		   " * To adapt it: rename partitions (and the windows and channels that name them),\n"
		   " * set each one's image and entry to your program, its memory-bytes, and its cells'\n"
		   " * period-us and wcet-us; then run `bhplan check` on it (and `bhplan show`).\n"
		   " * docs/plan.md has the schema and every rule.\n"
		   " */\n",
		o->partitions, o->cpus, o->channels, o->windows, o->partitions, o->partitions - 1,
		o->cpus - 1, o->cpus, o->windows, SLOT_US, fr);
	if (o->channels)
		fprintf(f, "/*\n * %u channels ch0..ch%u: channel j goes from p(j %% %u) to p((j + 1) %% %u);\n"
			   " * even ones are sampling (64-byte messages), odd ones queuing (depth 4).\n */\n",
			o->channels, o->channels - 1, o->partitions, o->partitions);
}

static void partition(FILE *f, const struct gen_opts *o, unsigned int i)
{
	uint32_t fr = frame_us(o);

	fprintf(f, "\t\tp%u {\n"
		   "\t\t\tcpu = <%u>;\n"
		   "\t\t\tmemory-bytes = <0x%x>;\n"
		   "\t\t\timage = \"tick\";\n"
		   "\t\t\theartbeat-timeout-us = <%u>;\n",
		i, i % o->cpus, MEM_BYTES, 4 * fr);
	if (i == 0)
		fprintf(f, "\n\t\t\t/* Prints \"tick p0 N\" each period (frame). */\n");
	fprintf(f, "\t\t\tdriver {\n"
		   "\t\t\t\tentry = \"tick_main\";\n"
		   "\t\t\t\tpriority = <10>;\n"
		   "\t\t\t\tstack-bytes = <0x2000>;\n"
		   "\t\t\t\tperiod-us = <%u>;\n"
		   "\t\t\t\twcet-us = <200>;\n"
		   "\t\t\t};\n",
		fr);
	if (i == 0)
		fprintf(f, "\t\t\t/* A heartbeat each frame (the runtime's watchdog_main). */\n");
	fprintf(f, "\t\t\twatchdog {\n"
		   "\t\t\t\tentry = \"watchdog_main\";\n"
		   "\t\t\t\tpriority = <20>;\n"
		   "\t\t\t\tstack-bytes = <0x1000>;\n"
		   "\t\t\t\tperiod-us = <%u>;\n"
		   "\t\t\t\twcet-us = <50>;\n"
		   "\t\t\t};\n",
		fr);
	if (i == 0)
		fprintf(f, "\t\t\t/* On a fault or a missed heartbeat: restart, at most 3 times. */\n");
	fprintf(f, "\t\t\thealth-monitor {\n"
		   "\t\t\t\tfault = \"restart\";\n"
		   "\t\t\t\theartbeat-miss = \"restart\";\n"
		   "\t\t\t\trestart-limit = <3>;\n"
		   "\t\t\t};\n"
		   "\t\t};\n");
}

static void schedule(FILE *f, const struct gen_opts *o)
{
	fprintf(f, "\tschedule {\n"
		   "\t\tmajor-frame-us = <%u>;\n"
		   "\t\t#address-cells = <1>;\n"
		   "\t\t#size-cells = <0>;\n",
		frame_us(o));
	for (unsigned int c = 0; c < o->cpus; c++) {
		unsigned int n = parts_on(o, c);

		fprintf(f, "\n\t\tcpu@%u {\n"
			   "\t\t\treg = <%u>;\n"
			   "\t\t\t#address-cells = <1>;\n"
			   "\t\t\t#size-cells = <0>;\n",
			c, c);
		for (unsigned int k = 0; k < o->windows; k++)
			fprintf(f, "\t\t\twindow@%u { reg = <%u>; partition = \"p%u\"; "
				   "offset-us = <%u>; duration-us = <%u>; };\n",
				k, k, c + (k % n) * o->cpus, k * SLOT_US, SLOT_US);
		fprintf(f, "\t\t};\n");
	}
	fprintf(f, "\t};\n");
}

static void channels(FILE *f, const struct gen_opts *o)
{
	fprintf(f, "\n\tchannels {\n");
	for (unsigned int j = 0; j < o->channels; j++) {
		unsigned int src = j % o->partitions, dst = (j + 1) % o->partitions;

		if (j % 2 == 0)
			fprintf(f, "\t\tch%u { kind = \"sampling\"; source = \"p%u\"; destinations = \"p%u\"; "
				   "message-bytes = <64>; refresh-us = <%u>; };\n",
				j, src, dst, 2 * frame_us(o));
		else
			fprintf(f, "\t\tch%u { kind = \"queuing\"; source = \"p%u\"; destinations = \"p%u\"; "
				   "message-bytes = <64>; depth = <4>; };\n",
				j, src, dst);
	}
	fprintf(f, "\t};\n");
}

void plan_generate(FILE *f, const struct gen_opts *o)
{
	header(f, o);
	fprintf(f, "/ {\n"
		   "\tcompatible = \"" PLAN_COMPATIBLE "\";\n"
		   "\tmodel = \"Generated: %u tick partitions on %u CPUs, %u channels\";\n"
		   "\tplan-version = <%u>;\n\n"
		   "\tpartitions {\n",
		o->partitions, o->cpus, o->channels, PLAN_VERSION);
	for (unsigned int i = 0; i < o->partitions; i++)
		partition(f, o, i);
	fprintf(f, "\t};\n\n");
	schedule(f, o);
	if (o->channels)
		channels(f, o);
	fprintf(f, "};\n");
}
