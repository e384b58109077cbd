/*
 * bhplan: check, show and draw Bulkhead partition plans on the host, with the very
 * parser and validator the kernel runs at boot (dt/plan*.c).
 *
 *   bhplan check PLAN [--platform DTB] [--kernel-bytes N] [--images DIR]
 *   bhplan show  PLAN [--platform DTB] [--kernel-bytes N] [--images DIR]
 *   bhplan svg   PLAN [--platform DTB] [--kernel-bytes N] -o FILE.svg
 *   bhplan header PLAN PARTITION -o FILE.h
 *   bhplan generate --partitions N --cpus C --channels M [--windows W] [-o FILE.dts]
 *
 * PLAN is a .dts (compiled with dtc; findings then carry file:line) or a .dtb.
 * Exit: 0 fine, 1 the plan has errors,
 * 2 usage or unreadable input.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bhplan.h"
#include "core/lib/sha256.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bhplan check PLAN [--platform DTB] [--kernel-bytes N] [--programs A,B,...]\n"
		"                        [--images DIR]\n"
		"       bhplan show PLAN [--platform DTB] [--kernel-bytes N] [--images DIR]\n"
		"       bhplan svg PLAN [--platform DTB] [--kernel-bytes N] -o FILE.svg\n"
		"       bhplan header PLAN PARTITION -o FILE.h\n"
		"       bhplan generate --partitions N --cpus C --channels M [--windows W] [-o FILE.dts]\n"
		"\n"
		"PLAN is a plan as device-tree source (.dts, compiled with dtc) or blob (.dtb).\n"
		"check   validate; print every error, one per line (exit 1 if any); with --platform,\n"
		"        also whether the kernel's run-time tables fit the RAM the plan leaves free\n"
		"show    partitions, cells, health monitor, memory and per-CPU schedule as tables,\n"
		"        and the kernel's run-time tables the plan needs\n"
		"svg     a Gantt chart of one major frame, one lane per CPU, and the channels\n"
		"generate  write a valid plan of N partitions running `tick` (stdout without -o)\n"
		"header  a C header for one partition: its port and device handles, sizes, depths\n"
		"--platform DTB     also check against this machine (e.g. build/platform.dtb from make platform-dtb)\n"
		"--kernel-bytes N   RAM the kernel and its DTB take at the start of RAM (default 4 MiB)\n"
		"--programs LIST    the images that exist (comma-separated): rule image-unknown\n"
		"--images DIR       the built programs (DIR/NAME.elf): rule image-digest, and the\n"
		"                   kernel's page tables counted from the programs' layouts\n");
}

#define MAX_PROGRAMS 64

struct args {
	const char *cmd, *plan, *platform, *out;
	const char *partition; /* header */
	const char *images;    /* --images DIR */
	uint64_t kernel_bytes;
	char *programs[MAX_PROGRAMS];
	unsigned int n_programs;
	bool have_programs;
};

/* Splits "a,b,c" in place. */
static int split_programs(char *list, struct args *a)
{
	a->have_programs = true;
	for (char *save = NULL, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (a->n_programs == MAX_PROGRAMS)
			return -1;
		a->programs[a->n_programs++] = t;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof(*a));
	a->kernel_bytes = 4u << 20;
	if (argc < 3)
		return -1;
	a->cmd = argv[1];
	a->plan = argv[2];
	int first = 3;

	if (!strcmp(a->cmd, "header")) {
		if (argc < 4)
			return -1;
		a->partition = argv[first++];
	}
	for (int i = first; i < argc; i++) {
		if (!strcmp(argv[i], "--platform") && i + 1 < argc) {
			a->platform = argv[++i];
		} else if (!strcmp(argv[i], "--programs") && i + 1 < argc) {
			if (split_programs(argv[++i], a) != 0)
				return -1;
		} else if (!strcmp(argv[i], "--images") && i + 1 < argc) {
			a->images = argv[++i];
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			a->out = argv[++i];
		} else if (!strcmp(argv[i], "--kernel-bytes") && i + 1 < argc) {
			char *end;

			errno = 0;
			a->kernel_bytes = strtoull(argv[++i], &end, 0);
			if (errno || *end)
				return -1;
		} else {
			return -1;
		}
	}
	if (strcmp(a->cmd, "check") && strcmp(a->cmd, "show") && strcmp(a->cmd, "svg") &&
	    strcmp(a->cmd, "header"))
		return -1;
	if ((!strcmp(a->cmd, "svg") || !strcmp(a->cmd, "header")) && !a->out)
		return -1;
	return 0;
}

static void print_report(const struct plan_report *rep, const char *file)
{
	char line[PLAN_PATH_MAX + PLAN_WHAT_MAX + 64];

	for (unsigned int i = 0; i < rep->n; i++) {
		struct strbuf sb;

		char loc[192];
		const char *where = src_line_of(rep->e[i].path, rep->e[i].what, loc, sizeof(loc));

		sb_init(&sb, line, sizeof(line));
		plan_error_format(&rep->e[i], &sb);
		printf("%s: %s\n", where ? where : file, line);
	}
	if (rep->dropped)
		printf("%s: ... and %u more errors\n", file, rep->dropped);
}

static int parse_uint(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || !*s || v > 0xffffffffUL)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

/* bhplan generate: options, then the plan to -o (or stdout). */
static int generate(int argc, char **argv)
{
	struct gen_opts o = { 0 };
	const char *out = NULL, *why;
	bool have_p = false, have_c = false, have_m = false;
	FILE *f = stdout;

	for (int i = 2; i + 1 < argc; i += 2) {
		const char *opt = argv[i], *val = argv[i + 1];
		int bad = 0;

		if (!strcmp(opt, "--partitions"))
			bad = parse_uint(val, &o.partitions), have_p = true;
		else if (!strcmp(opt, "--cpus"))
			bad = parse_uint(val, &o.cpus), have_c = true;
		else if (!strcmp(opt, "--channels"))
			bad = parse_uint(val, &o.channels), have_m = true;
		else if (!strcmp(opt, "--windows"))
			bad = parse_uint(val, &o.windows) || !o.windows;
		else if (!strcmp(opt, "-o"))
			out = val;
		else
			bad = -1;
		if (bad)
			goto usage;
	}
	if (argc % 2 != 0) /* an option without its value */
		goto usage;
	if (!have_p || !have_c || !have_m)
		goto usage;
	why = plan_generate_check(&o);
	if (why) {
		fprintf(stderr, "bhplan generate: %s\n", why);
		return 2;
	}
	if (out && !(f = fopen(out, "w"))) {
		fprintf(stderr, "bhplan: %s: %s\n", out, strerror(errno));
		return 2;
	}
	plan_generate(f, &o);
	if (ferror(f) | (out && fclose(f) != 0)) {
		fprintf(stderr, "bhplan: %s: write failed\n", out ? out : "stdout");
		return 2;
	}
	return 0;
usage:
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct args a;
	struct blob plan_blob = { 0 }, plat_blob = { 0 };
	static struct plan plan;
	static struct plan_report rep;
	static struct platform plat;
	static struct plan_memory_map map;
	bool have_map = false;
	int rc = 0;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "generate"))
		return generate(argc, argv);
	if (parse_args(argc, argv, &a) != 0) {
		usage(stderr);
		return 2;
	}
	if (load_blob(a.plan, &plan_blob) != 0)
		return 2;
	/* The tables take what the plan's counts need (the kernel: free RAM at boot). */
	struct plan_arena arena = { NULL, plan_arena_bytes(plan_blob.data, plan_blob.size, NULL), 0 };

	if (!(arena.base = aligned_alloc(16, arena.size + 16))) {
		fprintf(stderr, "bhplan: out of memory\n");
		return 2;
	}
	plan_report_init(&rep);
	if (plan_parse(plan_blob.data, plan_blob.size, &plan, &arena, &rep) == PLAN_OK &&
	    plan_check(&plan, a.have_programs ? (const char *const *)a.programs : NULL,
		       a.n_programs, &rep) == PLAN_OK &&
	    a.images && plan_check_images(&plan, a.images, &rep) != 0)
		return 2;
	if (rep.n == 0 && !rep.dropped && a.platform) {
		struct dt_diag d;

		if (load_blob(a.platform, &plat_blob) != 0)
			return 2;
		if (platform_parse(plat_blob.data, plat_blob.size, PLAT_MAX_CPUS, &plat, &d) != DT_OK) {
			fprintf(stderr, "bhplan: %s: not a usable platform tree: %s: %s\n", a.platform,
				d.path[0] ? d.path : "/", d.what);
			return 2;
		}
		struct plan_env env = {
			.fdt = plat_blob.data,
			.plat = &plat,
			.kernel = { pa_init(pa_addr(plat.ram[0].base)), a.kernel_bytes },
		};
		/* The plan's tables where the kernel puts them (core/boot.c), so that the free
		 * RAM left for its run-time tables is the kernel's. */
		(void)plan_tables_ram(&env, arena.size, &env.tables);
		have_map = plan_check_platform(&plan, &env, &map, &rep) == PLAN_OK;
	}
	struct run_tables_need need = { .fits = true };
	bool tables = !strcmp(a.cmd, "check") || !strcmp(a.cmd, "show");

	if (rep.n == 0 && !rep.dropped && tables &&
	    plan_kernel_tables(&plan, a.images, have_map ? map.free.size : UINT64_MAX, &need) != 0)
		return 2;
	if (rep.n || rep.dropped) {
		src_locate(a.plan);
		print_report(&rep, a.plan);
		rc = 1;
	} else if (!need.fits) {
		plan_kernel_tables_refused(stdout, a.plan, &plan, &need, map.free.size,
					   a.images != NULL);
		rc = 1;
	} else if (!strcmp(a.cmd, "show")) {
		char sha[SHA256_HEX];

		sha256_hex(plan_blob.data, plan_blob.size, sha);
		plan_show(stdout, &plan, have_map ? &map : NULL, sha);
		plan_show_kernel_tables(stdout, &need, a.images != NULL,
					have_map ? &map.free.size : NULL);
		if (a.images) {
			char id[SHA256_HEX];

			if (plan_config_id(&plan, sha, a.images, id) != 0)
				return 2;
			printf("\nconfig_id %s (the plan and its %u images: the kernel logs the same at boot)\n",
			       id, plan.n_part);
		}
	} else if (!strcmp(a.cmd, "svg")) {
		rc = plan_svg(a.out, &plan) == 0 ? 0 : 2;
	} else if (!strcmp(a.cmd, "header")) {
		char sha[SHA256_HEX];

		sha256_hex(plan_blob.data, plan_blob.size, sha);
		rc = plan_header(a.out, &plan, a.partition, a.plan, sha) == 0 ? 0 : 2;
	}
	free(arena.base);
	free(plan_blob.data);
	free(plat_blob.data);
	return rc;
}
