/*
 * The health-monitor part of the plan (docs/health.md): each partition's
 * health-monitor node and persistent-bytes, the root health-monitor node, and the
 * rules that relate them to the rest of the plan. Internal to dt/plan_*.c.
 */
#ifndef BULKHEAD_DT_PLAN_HM_H
#define BULKHEAD_DT_PLAN_HM_H

#include "dt/plan_read.h"

/* /partitions/NAME/health-monitor (at off, below the partition's node) into pp->hm. */
void pr_parse_hm(struct plan_ctx *c, const struct plan_node *parent, int off,
		 struct plan_partition *pp);

/* The partition's persistent-bytes (absent: 0). */
void pr_parse_persistent(struct plan_ctx *c, const struct plan_node *n, struct plan_partition *pp);

/* /health-monitor (at off, below the root) into c->p->system_action. */
void pr_parse_system_hm(struct plan_ctx *c, const struct plan_node *parent, int off);

/* Rules hm-restart-window and persistent-memory (they need the schedule and the cells). */
void plan_check_hm(const struct plan *p, struct plan_report *rep);

#endif
