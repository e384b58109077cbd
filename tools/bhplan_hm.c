/* bhplan show: the health-monitor table, one column per partition, a row per property. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "bhplan.h"

#define COLUMNS 5 /* partitions side by side; more go in the next block */

static void row_label(FILE *f, const char *label)
{
	fprintf(f, "  %-20s", label);
}

/* Column i of a block that ends before `end`: the last one unpadded (no trailing blanks). */
static void put(FILE *f, const char *text, int w, unsigned int i, unsigned int end)
{
	if (i + 1 == end)
		fprintf(f, "  %s\n", text);
	else
		fprintf(f, "  %-*s", w, text);
}

static void show_block(FILE *f, const struct plan *p, unsigned int first, unsigned int end, int w)
{
	char cell[32];

	row_label(f, "class");
	for (unsigned int i = first; i < end; i++)
		put(f, p->part[i].name, w, i, end);
	for (unsigned int k = 0; k < HM_CLASSES; k++) {
		/* The restart-limit class is set by on-limit (restart-limit is the count). */
		row_label(f, k == HM_RESTART_LIMIT ? "on-limit" : plan_hm_class_name(k));
		for (unsigned int i = first; i < end; i++)
			put(f, plan_hm_action_name(p->part[i].hm.action[k]), w, i, end);
	}
	row_label(f, "restart-limit");
	for (unsigned int i = first; i < end; i++) {
		if (p->part[i].hm.restart_limit)
			snprintf(cell, sizeof(cell), "%" PRIu32, p->part[i].hm.restart_limit);
		else
			snprintf(cell, sizeof(cell), "-");
		put(f, cell, w, i, end);
	}
	row_label(f, "restart-window-us");
	for (unsigned int i = first; i < end; i++) {
		if (p->part[i].hm.restart_window_us)
			snprintf(cell, sizeof(cell), "%" PRIu64, p->part[i].hm.restart_window_us);
		else
			snprintf(cell, sizeof(cell), "since boot");
		put(f, cell, w, i, end);
	}
	row_label(f, "heartbeat-timeout-us");
	for (unsigned int i = first; i < end; i++) {
		snprintf(cell, sizeof(cell), "%" PRIu32, p->part[i].heartbeat_timeout_us);
		put(f, cell, w, i, end);
	}
	row_label(f, "persistent-bytes");
	for (unsigned int i = first; i < end; i++) {
		snprintf(cell, sizeof(cell), "%" PRIu64, p->part[i].persistent_bytes);
		put(f, cell, w, i, end);
	}
}

void plan_show_hm(FILE *f, const struct plan *p)
{
	int w = (int)strlen("cold-restart");

	for (unsigned int i = 0; i < p->n_part; i++)
		if ((int)strlen(p->part[i].name) > w)
			w = (int)strlen(p->part[i].name);
	fprintf(f, "\nhealth monitor (escalate: %s)\n",
		p->system_action == PLAN_SYSTEM_PANIC_POLICY ? "the kernel's panic policy"
		: p->system_action == PLAN_SYSTEM_RESTART ? "restart the system"
							   : "power the system off");
	for (unsigned int first = 0; first < p->n_part; first += COLUMNS) {
		unsigned int end = p->n_part - first < COLUMNS ? p->n_part : first + COLUMNS;

		if (first)
			fprintf(f, "\n");
		show_block(f, p, first, end, w);
	}
}
