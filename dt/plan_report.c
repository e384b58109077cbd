/* Names of the plan's rules, classes and actions, and the error report. */
#include "core/lib/libc.h"
#include "dt/plan_internal.h"

static const char *const rule_names[RULE_COUNT] = {
	[RULE_BLOB] = "blob",
	[RULE_FORMAT] = "plan-format",
	[RULE_VERSION] = "plan-version",
	[RULE_PROPERTY] = "property",
	[RULE_RANGE] = "value-range",
	[RULE_LIMIT] = "plan-limit",
	[RULE_NAME] = "name-invalid",
	[RULE_DUPLICATE] = "name-duplicate",
	[RULE_WINDOW_PARTITION] = "window-partition",
	[RULE_WINDOW_OVERLAP] = "window-overlap",
	[RULE_WINDOW_FRAME] = "window-frame",
	[RULE_WINDOW_CPU] = "window-cpu",
	[RULE_SCHEDULE_CPU] = "schedule-cpu",
	[RULE_PARTITION_UNSCHEDULED] = "partition-unscheduled",
	[RULE_CELL_TIMING] = "cell-timing",
	[RULE_CELL_UTILISATION] = "cell-utilisation",
	[RULE_CELL_DEADLINE] = "cell-deadline",
	[RULE_MEMORY_OVERLAP] = "memory-overlap",
	[RULE_DEVICE_SHARED] = "device-shared",
	[RULE_CHANNEL_ENDPOINT] = "channel-endpoint",
	[RULE_CHANNEL_SIZE] = "channel-size",
	[RULE_ARGS] = "partition-args",
	[RULE_IMAGE_UNKNOWN] = "image-unknown",
	[RULE_NODE_DUPLICATE] = "node-duplicate",
	[RULE_IMAGE_DIGEST] = "image-digest",
	[RULE_CPU_MISSING] = "cpu-missing",
	[RULE_MEMORY_RAM] = "memory-ram",
	[RULE_MEMORY_RESERVED] = "memory-reserved",
	[RULE_MEMORY_FIT] = "memory-fit",
	[RULE_DEVICE_MISSING] = "device-missing",
	[RULE_DEVICE_KERNEL] = "device-kernel",
	[RULE_DEVICE_NODE] = "device-node",
	[RULE_DEVICE_AMBIGUOUS] = "device-ambiguous",
	[RULE_HM_ACTION] = "hm-action",
	[RULE_HM_RESTART_LIMIT] = "hm-restart-limit",
	[RULE_HM_RESTART_WINDOW] = "hm-restart-window",
	[RULE_PERSISTENT_MEMORY] = "persistent-memory",
};

const char *plan_rule_name(enum plan_rule r)
{
	return (unsigned int)r < RULE_COUNT && rule_names[r] ? rule_names[r] : "unknown-rule";
}

static const char *const cell_names[PLAN_CELLS] = { "driver", "watchdog" };

const char *plan_cell_name(enum plan_cell_kind k)
{
	return (unsigned int)k < PLAN_CELLS ? cell_names[k] : "?";
}

static const char *const class_names[HM_CLASSES] = {
	[HM_MEMORY_VIOLATION] = "memory-violation",
	[HM_ILLEGAL_INSTRUCTION] = "illegal-instruction",
	[HM_FAULT] = "fault",
	[HM_SYSCALL_VIOLATION] = "syscall-violation",
	[HM_DEADLINE_MISS] = "deadline-miss",
	[HM_HEARTBEAT_MISS] = "heartbeat-miss",
	[HM_APPLICATION_ERROR] = "application-error",
	[HM_RESTART_LIMIT] = "restart-limit",
};

const char *plan_hm_class_name(enum plan_hm_class c)
{
	return (unsigned int)c < HM_CLASSES ? class_names[c] : "?";
}

static const char *const action_names[HM_ACTIONS] = {
	[HM_ACT_STOP] = "stop",
	[HM_ACT_IGNORE] = "ignore",
	[HM_ACT_RESTART_CELL] = "restart-cell",
	[HM_ACT_WARM_RESTART] = "warm-restart",
	[HM_ACT_COLD_RESTART] = "cold-restart",
	[HM_ACT_ESCALATE] = "escalate",
};

const char *plan_hm_action_name(enum plan_hm_action a)
{
	return (unsigned int)a < HM_ACTIONS ? action_names[a] : "?";
}

static const char *const system_action_names[PLAN_SYSTEM_ACTIONS] = {
	[PLAN_SYSTEM_PANIC_POLICY] = "panic-policy",
	[PLAN_SYSTEM_RESTART] = "restart",
	[PLAN_SYSTEM_OFF] = "off",
};

const char *plan_system_action_name(enum plan_system_action a)
{
	return (unsigned int)a < PLAN_SYSTEM_ACTIONS ? system_action_names[a] : "?";
}

void plan_report_init(struct plan_report *r)
{
	r->n = 0;
	r->dropped = 0;
}

struct strbuf plan_error_add(struct plan_report *r, enum plan_rule rule, const char *path)
{
	struct plan_error *e = r->n < PLAN_MAX_ERRORS ? &r->e[r->n++] : &r->overflow;
	struct strbuf sb;

	if (e == &r->overflow)
		r->dropped++;
	e->rule = rule;
	sb_init(&sb, e->path, sizeof(e->path));
	sb_puts(&sb, path ? path : "");
	sb_init(&sb, e->what, sizeof(e->what));
	return sb;
}

void plan_error_str(struct plan_report *r, enum plan_rule rule, const char *path, const char *what)
{
	struct strbuf sb = plan_error_add(r, rule, path);

	sb_puts(&sb, what);
}

void plan_put_span(struct strbuf *sb, uint64_t from, uint64_t to)
{
	sb_u64(sb, from);
	sb_puts(sb, "..");
	sb_u64(sb, to);
	sb_puts(sb, " us");
}

void plan_put_range(struct strbuf *sb, uint64_t base, uint64_t size)
{
	sb_hex(sb, base);
	sb_putc(sb, '-');
	sb_hex(sb, base + size - 1);
}

void plan_put_cpus(struct strbuf *sb, unsigned int n_cpus)
{
	if (n_cpus == 0) {
		sb_puts(sb, "the machine has no CPU");
	} else if (n_cpus == 1) {
		sb_puts(sb, "the machine has CPU 0 only");
	} else {
		sb_puts(sb, "the machine has CPUs 0..");
		sb_u64(sb, n_cpus - 1);
	}
}

unsigned int plan_edit_distance(const char *a, const char *b)
{
	/* Three rows of the classic table (a swap of two neighbours looks two rows back). */
	unsigned int row[3][PLAN_PATH_MAX];
	size_t la = BH_LIBC(strnlen)(a, PLAN_PATH_MAX - 1), lb = BH_LIBC(strnlen)(b, PLAN_PATH_MAX - 1);

	for (size_t j = 0; j <= lb; j++)
		row[0][j] = (unsigned int)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned int *cur = row[i % 3], *prev = row[(i - 1) % 3], *prev2 = row[(i + 1) % 3];

		cur[0] = (unsigned int)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned int best = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
	}
	return row[la % 3][lb];
}

void plan_suggest_init(struct plan_suggest *s, const char *word)
{
	s->word = word;
	s->best = NULL;
	s->dist = ~0u;
}

void plan_suggest_consider(struct plan_suggest *s, const char *candidate)
{
	unsigned int d = plan_edit_distance(s->word, candidate);
	unsigned int limit = (unsigned int)BH_LIBC(strnlen)(s->word, PLAN_PATH_MAX) / 3;

	if (d > 0 && d <= (limit ? limit : 1) && d < s->dist) {
		s->best = candidate;
		s->dist = d;
	}
}

void plan_suggest_put(const struct plan_suggest *s, struct strbuf *sb)
{
	if (!s->best)
		return;
	sb_puts(sb, ", did you mean '");
	sb_puts(sb, s->best);
	sb_puts(sb, "'?");
}

void plan_error_format(const struct plan_error *e, struct strbuf *sb)
{
	sb_puts(sb, e->path[0] ? e->path : "/");
	sb_puts(sb, ": ");
	sb_puts(sb, e->what);
	sb_puts(sb, " [");
	sb_puts(sb, plan_rule_name(e->rule));
	sb_puts(sb, "]");
}
