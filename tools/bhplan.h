/* bhplan's parts: reading inputs, the tables, the chart. */
#ifndef BULKHEAD_TOOLS_BHPLAN_H
#define BULKHEAD_TOOLS_BHPLAN_H

#include <stdbool.h>
#include <stdio.h>
#include "core/lib/sha256.h"
#include "core/run_tables.h"
#include "dt/plan.h"

struct blob {
	void *data;
	size_t size;
};

/* A .dts (through dtc) or a .dtb into memory. Prints why not and returns -1. */
int load_blob(const char *path, struct blob *out);

/* Readable tables of a checked plan; map (may be NULL) is where memory went; sha256 is
 * the blob's digest in hex. */
void plan_show(FILE *f, const struct plan *p, const struct plan_memory_map *map,
	       const char *sha256);

/* The health-monitor table of a checked plan (part of plan_show). */
void plan_show_hm(FILE *f, const struct plan *p);
/* For a .dts plan (anything else: nothing happens): learn where each node and property
 * of it comes from, through dtc -T -T. Best effort: without it findings have no line. */
void src_locate(const char *plan_path);
/* "file:line" of the property a finding at path is about (else of the node), or NULL. */
const char *src_line_of(const char *path, const char *what, char *buf, size_t cap);

/* A Gantt chart of one major frame; prints why not and returns -1. */
int plan_svg(const char *path, const struct plan *p);

/* Rule image-digest for partitions giving image-sha256, against dir/IMAGE.elf; -1 (after
 * saying why) if one cannot be read. */
int plan_check_images(const struct plan *p, const char *dir, struct plan_report *rep);
/* config_id (core/config_id.h) of plan p, whose blob digest is plan_hex, with the
 * programs DIR/NAME.elf; -1 (said on stderr) if one cannot be read. */
int plan_config_id(const struct plan *p, const char *plan_hex, const char *dir, char out[SHA256_HEX]);

/*
 * The kernel's run-time tables for plan p (core/run_tables.h) out of ram_bytes of free
 * RAM (UINT64_MAX: unknown): each partition's address-space tables from its program
 * DIR/IMAGE.elf when dir is given, else their bound for any program. -1 (said on
 * stderr) if a program cannot be read or laid out in its partition.
 */
int plan_kernel_tables(const struct plan *p, const char *dir, uint64_t ram_bytes,
		       struct run_tables_need *need);
/* "FILE: /: the kernel's tables need ... [plan-limit]": need does not fit ram_bytes, with
 * the reason the kernel's kernel_tables_refused gives (from_programs: the page tables
 * were counted from the programs, not bounded). */
void plan_kernel_tables_refused(FILE *f, const char *file, const struct plan *p,
				const struct run_tables_need *need, uint64_t ram_bytes,
				bool from_programs);
/* The estimate as bhplan show prints it; ram_bytes NULL: the free RAM is not known. */
void plan_show_kernel_tables(FILE *f, const struct run_tables_need *need, bool from_programs,
			     const uint64_t *ram_bytes);

/* A C header of partition's handles (core/cap.c's order), sizes and depths; prints why
 * not and returns -1. plan_file and sha256 (hex) are recorded in it. */
int plan_header(const char *path, const struct plan *p, const char *partition,
		const char *plan_file, const char *sha256);

/* bhplan generate's options (0 windows: one per partition of the busiest CPU). */
struct gen_opts {
	unsigned int partitions, cpus, channels, windows;
};
#define GEN_MAX_PARTITIONS 65536u
#define GEN_MAX_CHANNELS 65536u

/* Why o cannot be generated, or NULL (then o->windows is set and o->cpus is at most
 * o->partitions: a CPU without a partition gets no schedule). */
const char *plan_generate_check(struct gen_opts *o);
/* Writes the plan for checked options o as device-tree source. */
void plan_generate(FILE *f, const struct gen_opts *o);

#endif
