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

#endif
