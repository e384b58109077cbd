/* Shared by the plan's parser and checkers only (not part of the interface). */
#ifndef BULKHEAD_DT_PLAN_INTERNAL_H
#define BULKHEAD_DT_PLAN_INTERNAL_H

#include "core/lib/strbuf.h"
#include "dt/plan.h"

/* Adds an error at path and returns a builder for its "what". Never fails: past
 * PLAN_MAX_ERRORS the error is counted as dropped. */
struct strbuf plan_error_add(struct plan_report *r, enum plan_rule rule, const char *path);

/* Convenience: one error with a fixed message. */
void plan_error_str(struct plan_report *r, enum plan_rule rule, const char *path, const char *what);

/* "0xbase-0xlast" (inclusive end), size > 0 */
void plan_put_range(struct strbuf *sb, uint64_t base, uint64_t size);

/* "a..b us" */
void plan_put_span(struct strbuf *sb, uint64_t from, uint64_t to);

/* "the machine has CPUs 0..3" ("CPU 0 only" for one, "no CPU" for none) */
void plan_put_cpus(struct strbuf *sb, unsigned int n_cpus);

/* The closest of the known names to an unknown one, for "did you mean". Feed every
 * candidate to plan_suggest_consider, then plan_suggest_put appends ", did you mean 'x'?"
 * if one is close enough (a typo: at most a third of the word's letters differ). */
struct plan_suggest {
	const char *word;
	const char *best;
	unsigned int dist;
};
void plan_suggest_init(struct plan_suggest *s, const char *word);
void plan_suggest_consider(struct plan_suggest *s, const char *candidate);
void plan_suggest_put(const struct plan_suggest *s, struct strbuf *sb);

/* Edit distance (insertions, deletions, substitutions, swaps of neighbours) between a and b, each compared on
 * at most their first PLAN_PATH_MAX - 1 characters. */
unsigned int plan_edit_distance(const char *a, const char *b);

/* A total order on table indexes a and b (ties broken by the index: sorts are then stable
 * in effect): negative, zero (a == b only) or positive. */
typedef int (*plan_idx_cmp)(const void *ctx, uint32_t a, uint32_t b);
/* The name that orders index i (for plan_lower_bound). */
typedef const char *(*plan_idx_key)(const void *ctx, uint32_t i);

/* Sorts the n indexes in v under cmp, in place, n log n. */
void plan_sort_idx(uint32_t *v, size_t n, plan_idx_cmp cmp, const void *ctx);

/* v sorted by key (then index): the first position whose key is not below name (n if
 * none). With ties broken by index, v[result] is the lowest index with that name. */
size_t plan_lower_bound(const uint32_t *v, size_t n, plan_idx_key key, const void *ctx,
			const char *name);

#endif
