/*
 * The health-monitor schema: per partition, an action for each error class, a restart
 * budget and a persistent region; at the root, what escalate does to the system.
 * Defaults (docs/health.md) are what a zeroed plan holds, except the two inherited
 * ones: the old `fault` key sets memory-violation, illegal-instruction and fault, and
 * application-error follows heartbeat-miss.
 */
#include <libfdt.h>
#include "core/lib/libc.h"
#include "dt/plan_hm.h"

STATIC_ASSERT(HM_ACT_STOP == 0, "a zeroed policy is all stop (the documented default)");
STATIC_ASSERT(PLAN_SYSTEM_PANIC_POLICY == 0, "a zeroed plan escalates by the panic policy");

/* The words a class's property takes; "restart" is what version 1 first called
 * cold-restart (the restart that wipes everything), kept so those plans still read. */
static const char *const action_words[] = { "ignore", "restart-cell", "warm-restart",
					    "cold-restart", "stop", "escalate", "restart" };
static const enum plan_hm_action word_action[] = { HM_ACT_IGNORE, HM_ACT_RESTART_CELL,
						   HM_ACT_WARM_RESTART, HM_ACT_COLD_RESTART,
						   HM_ACT_STOP, HM_ACT_ESCALATE, HM_ACT_COLD_RESTART };
STATIC_ASSERT(ARRAY_SIZE(action_words) == ARRAY_SIZE(word_action), "one action per word");
STATIC_ASSERT(ARRAY_SIZE(action_words) == HM_ACTIONS + 1, "each action's word, then restart");

/* Which actions each class allows (rule hm-action), and why one is refused. */
#define ALL_ACTIONS ((1u << HM_ACTIONS) - 1)
#define NO(a) (~(1u << (a)) & ALL_ACTIONS)
static const unsigned int allowed[HM_CLASSES] = {
	/* A synchronous EL0 exception: ignoring it would run the instruction again. */
	[HM_MEMORY_VIOLATION] = NO(HM_ACT_IGNORE),
	[HM_ILLEGAL_INSTRUCTION] = NO(HM_ACT_IGNORE),
	[HM_FAULT] = NO(HM_ACT_IGNORE),
	[HM_SYSCALL_VIOLATION] = ALL_ACTIONS,
	[HM_DEADLINE_MISS] = ALL_ACTIONS,
	/* The heartbeat is the partition's: no cell is named to restart. */
	[HM_HEARTBEAT_MISS] = NO(HM_ACT_RESTART_CELL),
	[HM_APPLICATION_ERROR] = ALL_ACTIONS,
	/* When the budget is used up, only an end: another restart or ignoring would loop. */
	[HM_RESTART_LIMIT] = (1u << HM_ACT_STOP) | (1u << HM_ACT_ESCALATE),
};

static const char *const refused_why[HM_CLASSES] = {
	[HM_MEMORY_VIOLATION] = "the faulting instruction would run again",
	[HM_ILLEGAL_INSTRUCTION] = "the faulting instruction would run again",
	[HM_FAULT] = "the faulting instruction would run again",
	[HM_HEARTBEAT_MISS] = "a missed heartbeat names no cell to restart",
	[HM_RESTART_LIMIT] = "once the restarts are used up only stop or escalate can end a loop",
};

bool plan_hm_action_allowed(enum plan_hm_class c, enum plan_hm_action a)
{
	return (unsigned int)c < HM_CLASSES && (unsigned int)a < HM_ACTIONS &&
	       (allowed[c] & (1u << a));
}

bool plan_hm_action_restarts(enum plan_hm_action a)
{
	return a == HM_ACT_RESTART_CELL || a == HM_ACT_WARM_RESTART || a == HM_ACT_COLD_RESTART;
}

/* The property that sets class k (the restart-limit class is set by on-limit). */
static const char *class_prop(enum plan_hm_class k)
{
	return k == HM_RESTART_LIMIT ? "on-limit" : plan_hm_class_name(k);
}

/* Reads one class's property into *a; reports an action the class does not allow. */
static bool get_action(struct plan_ctx *c, const struct plan_node *n, enum plan_hm_class k,
		       enum plan_hm_action *a)
{
	unsigned int v;

	if (!pr_get_choice(c, n, class_prop(k), false, action_words, ARRAY_SIZE(action_words), &v))
		return false;
	if (!plan_hm_action_allowed(k, word_action[v])) {
		struct strbuf sb = plan_error_add(c->rep, RULE_HM_ACTION, n->path);

		sb_puts(&sb, class_prop(k));
		sb_puts(&sb, " = '");
		sb_puts(&sb, action_words[v]);
		sb_puts(&sb, "': ");
		sb_puts(&sb, refused_why[k]);
		sb_puts(&sb, "; expected one of:");
		for (unsigned int i = 0; i < HM_ACTIONS; i++) { /* the words, in the docs' order */
			if (plan_hm_action_allowed(k, word_action[i])) {
				sb_putc(&sb, ' ');
				sb_puts(&sb, action_words[i]);
			}
		}
		return false;
	}
	*a = word_action[v];
	return true;
}

void pr_parse_hm(struct plan_ctx *c, const struct plan_node *parent, int off,
		 struct plan_partition *pp)
{
	static const char *const props[] = { "memory-violation", "illegal-instruction", "fault",
					     "syscall-violation", "deadline-miss", "heartbeat-miss",
					     "application-error", "on-limit", "restart-limit",
					     "restart-window-us" };
	struct plan_node n = pr_child_of(c->fdt, parent, off);
	enum plan_hm_action *act = pp->hm.action;
	enum plan_hm_action fault;
	bool restarts = false, window;

	pr_only_props(c, &n, props, ARRAY_SIZE(props));
	/* `fault` first: it is the default of the other two exception classes. */
	if (get_action(c, &n, HM_FAULT, &fault))
		act[HM_MEMORY_VIOLATION] = act[HM_ILLEGAL_INSTRUCTION] = act[HM_FAULT] = fault;
	for (unsigned int k = 0; k < HM_CLASSES; k++) {
		if (k == HM_FAULT)
			continue;
		if (!get_action(c, &n, k, &act[k]) && k == HM_APPLICATION_ERROR)
			act[k] = act[HM_HEARTBEAT_MISS];
	}
	for (unsigned int k = 0; k < HM_CLASSES; k++)
		restarts |= plan_hm_action_restarts(act[k]);

	(void)pr_get_u32(c, &n, "restart-limit", false, 1, PLAN_MAX_RESTARTS, &pp->hm.restart_limit);
	window = fdt_getprop(c->fdt, off, "restart-window-us", NULL) != NULL;
	(void)pr_get_num(c, &n, "restart-window-us", false, true, 1, PLAN_MAX_RESTART_WINDOW_US,
			 RULE_RANGE, &pp->hm.restart_window_us);
	if (restarts && !fdt_getprop(c->fdt, off, "restart-limit", NULL)) {
		struct strbuf sb = plan_error_add(c->rep, RULE_HM_RESTART_LIMIT, n.path);
		unsigned int k = 0;

		while (!plan_hm_action_restarts(act[k]))
			k++;
		sb_puts(&sb, plan_hm_class_name(k));
		sb_puts(&sb, " restarts ('");
		sb_puts(&sb, plan_hm_action_name(act[k]));
		sb_puts(&sb, "'): expected restart-limit, the restarts allowed before on-limit");
	} else if (window && !fdt_getprop(c->fdt, off, "restart-limit", NULL)) {
		plan_error_str(c->rep, RULE_HM_RESTART_LIMIT, n.path,
			       "restart-window-us without restart-limit: a window of what?");
	}
}

void pr_parse_persistent(struct plan_ctx *c, const struct plan_node *n, struct plan_partition *pp)
{
	if (pr_get_num(c, n, "persistent-bytes", false, true, PLAN_PAGE_BYTES, 1ULL << 40, RULE_RANGE,
		       &pp->persistent_bytes) &&
	    pp->persistent_bytes % PLAN_PAGE_BYTES) {
		pr_out_of_range(c, RULE_RANGE, n, "persistent-bytes", pp->persistent_bytes,
				PLAN_PAGE_BYTES, 1ULL << 40, ", a multiple of 4096");
		pp->persistent_bytes = 0;
	}
}

void pr_parse_system_hm(struct plan_ctx *c, const struct plan_node *parent, int off)
{
	static const char *const props[] = { "system-action" };
	static const char *const words[] = { "restart", "off" };
	static const enum plan_system_action map[] = { PLAN_SYSTEM_RESTART, PLAN_SYSTEM_OFF };
	struct plan_node n = pr_child_of(c->fdt, parent, off);
	unsigned int v;

	pr_only_props(c, &n, props, ARRAY_SIZE(props));
	if (pr_get_choice(c, &n, "system-action", false, words, ARRAY_SIZE(words), &v))
		c->p->system_action = map[v];
}

/* "<partition path>/health-monitor": the node the budget rules are about. */
static struct strbuf hm_error(struct plan_report *rep, enum plan_rule rule,
			      const struct plan_partition *pp)
{
	char path[PLAN_PATH_MAX];
	struct strbuf sb;

	sb_init(&sb, path, sizeof(path));
	sb_puts(&sb, pp->path);
	sb_puts(&sb, "/health-monitor");
	return plan_error_add(rep, rule, sb.truncated ? pp->path : path);
}

void plan_check_hm(const struct plan *p, struct plan_report *rep)
{
	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct plan_partition *pp = &p->part[i];
		uint64_t span = ((uint64_t)pp->hm.restart_limit + 1) * p->major_frame_us;
		uint64_t stacks = 0, need;

		/*
		 * A partition that fails in every major frame, at any point of it, must reach
		 * its limit: its last limit + 1 failures lie within (limit + 1) frames.
		 */
		if (pp->hm.restart_window_us && pp->hm.restart_limit &&
		    pp->hm.restart_window_us < span) {
			struct strbuf sb = hm_error(rep, RULE_HM_RESTART_WINDOW, pp);

			sb_puts(&sb, "restart-window-us = ");
			sb_u64(&sb, pp->hm.restart_window_us);
			sb_puts(&sb, " with restart-limit = ");
			sb_u64(&sb, pp->hm.restart_limit);
			sb_puts(&sb, ": failing once per major frame (");
			sb_u64(&sb, p->major_frame_us);
			sb_puts(&sb, " us) would restart forever; expected at least ");
			sb_u64(&sb, span);
		}
		if (!pp->persistent_bytes)
			continue;
		for (unsigned int k = 0; k < PLAN_CELLS; k++)
			stacks += ALIGN_UP((uint64_t)pp->cell[k].stack_bytes, (uint64_t)PLAN_PAGE_BYTES);
		/* Beside the persistent region: the stacks, a page of program, the info page. */
		need = pp->persistent_bytes + stacks + 2 * PLAN_PAGE_BYTES;
		if (need > pp->memory_bytes) {
			struct strbuf sb = plan_error_add(rep, RULE_PERSISTENT_MEMORY, pp->path);

			sb_puts(&sb, "persistent-bytes ");
			sb_u64(&sb, pp->persistent_bytes);
			sb_puts(&sb, " + stacks ");
			sb_u64(&sb, stacks);
			sb_puts(&sb, " + 8192 (a page of program, the info page) = ");
			sb_u64(&sb, need);
			sb_puts(&sb, ", more than memory-bytes ");
			sb_u64(&sb, pp->memory_bytes);
		}
	}
}
