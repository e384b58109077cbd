/*
 * Typed, checked property readers for the plan parser (dt/plan_parse.c). Each reports
 * what is wrong into the plan report (rule, node path, values) and returns whether the
 * value can be used. Internal to dt/plan_*.c.
 */
#ifndef BULKHEAD_DT_PLAN_READ_H
#define BULKHEAD_DT_PLAN_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dt/dt_error.h"
#include "dt/plan_internal.h"

struct plan_ctx {
	const void *fdt;
	struct plan *p;
	struct plan_report *rep;
	struct plan_window *win;          /* the window table, for all CPUs */
	uint32_t win_used, win_cap;
	uint32_t part_cap, chan_cap;      /* entries of the partition and channel tables */
};

struct plan_node {
	int off;
	char path[PLAN_PATH_MAX];
};

/* The node at off, below parent (its path built from the parent's). */
struct plan_node pr_child_of(const void *fdt, const struct plan_node *parent, int off);
/* The node's name without its unit address; *full_len is its length before any cut. */
void pr_node_name(const void *fdt, int off, char *buf, size_t cap, size_t *full_len);
/* 1..23 of a-z 0-9 - _, starting with a letter. */
bool pr_name_ok(const char *s, size_t len);
void pr_bad_name(struct plan_ctx *c, const char *path, const char *what, const char *s, size_t len);
void pr_from_diag(struct plan_ctx *c, const struct dt_diag *d);
/* Reports every property of n not in allowed[] (phandles are always allowed). */
void pr_only_props(struct plan_ctx *c, const struct plan_node *n, const char *const *allowed,
		   unsigned int n_allowed);
void pr_missing(struct plan_ctx *c, const struct plan_node *n, const char *prop);
void pr_out_of_range(struct plan_ctx *c, enum plan_rule rule, const struct plan_node *n,
		     const char *prop, uint64_t v, uint64_t min, uint64_t max, const char *extra);
/* "prop = v, not a multiple of align" (RULE_RANGE); memory-* values in hex. */
void pr_misaligned(struct plan_ctx *c, const struct plan_node *n, const char *prop, uint64_t v,
		   uint64_t align);
/* A u32 (wide: 1 or 2 cells) in min..max; false if absent (reported when required) or bad. */
bool pr_get_num(struct plan_ctx *c, const struct plan_node *n, const char *prop, bool required,
		bool wide, uint64_t min, uint64_t max, enum plan_rule rule, uint64_t *out);
bool pr_get_u32(struct plan_ctx *c, const struct plan_node *n, const char *prop, bool required,
		uint32_t min, uint32_t max, uint32_t *out);
/* The i-th string of a string list; false past the end or if malformed. */
bool pr_str_at(const char *list, int len, unsigned int i, const char **s, size_t *slen);
unsigned int pr_str_count(const char *list, int len);
/* One string (a valid name, when is_name) that fits in cap. */
bool pr_get_str(struct plan_ctx *c, const struct plan_node *n, const char *prop, bool required,
		bool is_name, char *buf, size_t cap);
/* One of names[] as its index. */
bool pr_get_choice(struct plan_ctx *c, const struct plan_node *n, const char *prop, bool required,
		   const char *const *names, unsigned int count, unsigned int *out);
/* A string list into max slots of slot_cap bytes: names, or absolute node paths. */
unsigned int pr_get_list(struct plan_ctx *c, const struct plan_node *n, const char *prop,
			 bool is_name, char *slots, size_t slot_cap, unsigned int max);

/* A SHA-256 given as one string of 64 hex digits (dt/plan_digest.c); false if absent or
 * malformed (reported, rule property). */
bool pr_get_sha256(struct plan_ctx *c, const struct plan_node *n, const char *prop, uint8_t out[32]);

/* The partition's args (a string list) packed into pp->args; rule partition-args. */
void pr_get_args(struct plan_ctx *c, const struct plan_node *n, struct plan_partition *pp);

#endif
