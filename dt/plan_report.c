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
	[RULE_IMAGE_DIGEST] = "image-digest",
	[RULE_CPU_MISSING] = "cpu-missing",
	[RULE_MEMORY_RAM] = "memory-ram",
	[RULE_MEMORY_RESERVED] = "memory-reserved",
	[RULE_MEMORY_FIT] = "memory-fit",
	[RULE_DEVICE_MISSING] = "device-missing",
	[RULE_DEVICE_KERNEL] = "device-kernel",
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
	[HM_FAULT] = "fault",
	[HM_DEADLINE_MISS] = "deadline-miss",
	[HM_HEARTBEAT_MISS] = "heartbeat-miss",
	[HM_SYSCALL_VIOLATION] = "syscall-violation",
};

const char *plan_hm_class_name(enum plan_hm_class c)
{
	return (unsigned int)c < HM_CLASSES ? class_names[c] : "?";
}

static const char *const action_names[HM_ACTIONS] = {
	[HM_ACT_STOP] = "stop",
	[HM_ACT_RESTART] = "restart",
	[HM_ACT_ESCALATE] = "escalate",
};

const char *plan_hm_action_name(enum plan_hm_action a)
{
	return (unsigned int)a < HM_ACTIONS ? action_names[a] : "?";
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

void plan_error_format(const struct plan_error *e, struct strbuf *sb)
{
	sb_puts(sb, e->path[0] ? e->path : "/");
	sb_puts(sb, ": ");
	sb_puts(sb, e->what);
	sb_puts(sb, " [");
	sb_puts(sb, plan_rule_name(e->rule));
	sb_puts(sb, "]");
}
