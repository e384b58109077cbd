/* bhplan's parts: reading inputs, the tables, the chart. */
#ifndef BULKHEAD_TOOLS_BHPLAN_H
#define BULKHEAD_TOOLS_BHPLAN_H

#include <stdio.h>
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
