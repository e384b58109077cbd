/*
 * The health monitor's pure core: the plan's action tables, the lifecycle table, the
 * restart budget (see core/hm.h and docs/health.md).
 */
#include "core/hm.h"
#include "core/lib/libc.h"

static const char *const err_names[HM_ERR_COUNT] = {
	[HM_OK] = "ok",
	[HM_ERR_MEMORY] = "memory for the health monitor too small or misaligned",
	[HM_ERR_POLICY] = "a class has an action it does not allow",
	[HM_ERR_PARTITION] = "no such partition",
	[HM_ERR_ARGUMENT] = "event or class not taken here",
	[HM_ERR_TRANSITION] = "transition not in the lifecycle table",
	[HM_ERR_TIME] = "time before the partition's last restart",
	[HM_ERR_NO_CELL] = "restart-cell planned but no cell named",
};

const char *hm_strerror(enum hm_err e)
{
	return (unsigned int)e < HM_ERR_COUNT ? err_names[e] : "unknown hm error";
}

static const char *const state_names[HM_STATES] = {
	[HM_STATE_IDLE] = "idle",
	[HM_STATE_COLD_START] = "cold-start",
	[HM_STATE_WARM_START] = "warm-start",
	[HM_STATE_NORMAL] = "normal",
	[HM_STATE_STOPPED] = "stopped",
};

const char *hm_state_name(enum hm_state s)
{
	return (unsigned int)s < HM_STATES ? state_names[s] : "?";
}

static const char *const event_names[HM_EVENTS] = {
	[HM_EV_BOOT] = "boot",
	[HM_EV_START_DONE] = "start-done",
	[HM_EV_DETECT] = "detect",
	[HM_EV_RESTART_CELL] = "restart-cell",
	[HM_EV_RESTART_WARM] = "restart-warm",
	[HM_EV_RESTART_COLD] = "restart-cold",
	[HM_EV_STOP] = "stop",
};

const char *hm_event_name(enum hm_event e)
{
	return (unsigned int)e < HM_EVENTS ? event_names[e] : "?";
}

/* What a transition does to the start condition ARINC's status reports. */
enum start_effect { START_KEEP, START_NORMAL, START_HM_RESTART };

/* The lifecycle: every transition there is. What is not here is refused. */
static const struct transition {
	enum hm_state from;
	enum hm_event ev;
	enum hm_state to;
	enum start_effect start;
} lifecycle[] = {
	{ HM_STATE_IDLE, HM_EV_BOOT, HM_STATE_COLD_START, START_NORMAL },
	{ HM_STATE_COLD_START, HM_EV_START_DONE, HM_STATE_NORMAL, START_KEEP },
	{ HM_STATE_WARM_START, HM_EV_START_DONE, HM_STATE_NORMAL, START_KEEP },
	{ HM_STATE_NORMAL, HM_EV_DETECT, HM_STATE_NORMAL, START_KEEP },
	{ HM_STATE_NORMAL, HM_EV_RESTART_CELL, HM_STATE_NORMAL, START_KEEP },
	{ HM_STATE_NORMAL, HM_EV_RESTART_WARM, HM_STATE_WARM_START, START_HM_RESTART },
	{ HM_STATE_NORMAL, HM_EV_RESTART_COLD, HM_STATE_COLD_START, START_HM_RESTART },
	/* A restart that cannot finish (a device that will not quiesce) ends in stop. */
	{ HM_STATE_COLD_START, HM_EV_STOP, HM_STATE_STOPPED, START_KEEP },
	{ HM_STATE_WARM_START, HM_EV_STOP, HM_STATE_STOPPED, START_KEEP },
	{ HM_STATE_NORMAL, HM_EV_STOP, HM_STATE_STOPPED, START_KEEP },
};

static const struct transition *find(enum hm_state from, enum hm_event ev)
{
	for (size_t i = 0; i < ARRAY_SIZE(lifecycle); i++)
		if (lifecycle[i].from == from && lifecycle[i].ev == ev)
			return &lifecycle[i];
	return NULL;
}

enum hm_err hm_lifecycle(enum hm_state from, enum hm_event ev, enum hm_state *to)
{
	const struct transition *t = find(from, ev);

	if (!t)
		return HM_ERR_TRANSITION;
	*to = t->to;
	return HM_OK;
}

enum bh_mode hm_mode(enum hm_state s)
{
	switch (s) {
	case HM_STATE_COLD_START:
		return BH_MODE_COLD_START;
	case HM_STATE_WARM_START:
		return BH_MODE_WARM_START;
	case HM_STATE_NORMAL:
		return BH_MODE_NORMAL;
	default:
		return BH_MODE_IDLE;
	}
}

static void apply(struct hm_part *st, const struct transition *t)
{
	st->state = t->to;
	if (t->start == START_NORMAL)
		st->start_condition = BH_START_NORMAL;
	else if (t->start == START_HM_RESTART)
		st->start_condition = BH_START_HM_PARTITION_RESTART;
}

size_t hm_mem_bytes(const struct plan *p)
{
	size_t bytes = p->n_part * (sizeof(struct hm_policy) + sizeof(struct hm_part));

	for (unsigned int i = 0; i < p->n_part; i++)
		bytes += p->part[i].hm.restart_limit * sizeof(uint64_t);
	return bytes;
}

STATIC_ASSERT(sizeof(struct hm_policy) % sizeof(uint64_t) == 0, "rings stay aligned");
STATIC_ASSERT(sizeof(struct hm_part) % sizeof(uint64_t) == 0, "rings stay aligned");

enum hm_err hm_build(struct hm *hm, const struct plan *p, void *mem, size_t bytes)
{
	struct hm_policy *pol;
	struct hm_part *part;
	uint64_t *ring;

	if (!mem || !IS_ALIGNED((uintptr_t)mem, sizeof(uint64_t)) || bytes < hm_mem_bytes(p))
		return HM_ERR_MEMORY;
	for (unsigned int i = 0; i < p->n_part; i++)
		for (unsigned int k = 0; k < HM_CLASSES; k++)
			if (!plan_hm_action_allowed(k, p->part[i].hm.action[k]))
				return HM_ERR_POLICY;
	/* Policies, then states, then every partition's ring of restart times. */
	pol = mem;
	part = (struct hm_part *)(pol + p->n_part);
	ring = (uint64_t *)(part + p->n_part);
	BH_LIBC(memset)(mem, 0, hm_mem_bytes(p));
	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct plan_partition *pp = &p->part[i];

		pol[i].name = pp->name;
		for (unsigned int k = 0; k < HM_CLASSES; k++)
			pol[i].action[k] = pp->hm.action[k];
		pol[i].restart_limit = pp->hm.restart_limit;
		pol[i].restart_window_ns = pp->hm.restart_window_us * 1000u;
		pol[i].memory_bytes = pp->memory_bytes;
		pol[i].persistent_bytes = pp->persistent_bytes;
		pol[i].heartbeat_timeout_ns = (uint64_t)pp->heartbeat_timeout_us * 1000u;
		part[i].state = HM_STATE_IDLE;
		part[i].start_condition = BH_START_NORMAL;
		part[i].ring = ring;
		ring += pp->hm.restart_limit;
	}
	hm->policy = pol;
	hm->part = part;
	hm->n_part = p->n_part;
	hm->system = p->system_action;
	return HM_OK;
}

enum hm_err hm_transition(struct hm *hm, unsigned int part, enum hm_event ev)
{
	const struct transition *t;

	if (part >= hm->n_part)
		return HM_ERR_PARTITION;
	if (ev != HM_EV_BOOT && ev != HM_EV_START_DONE && ev != HM_EV_STOP)
		return HM_ERR_ARGUMENT;
	t = find(hm->part[part].state, ev);
	if (!t) {
		hm->part[part].refused++;
		return HM_ERR_TRANSITION;
	}
	apply(&hm->part[part], t);
	return HM_OK;
}

/* Whether t lies within the budget's window at now (now >= t). */
static bool in_window(const struct hm_policy *pol, uint64_t t, uint64_t now)
{
	return pol->restart_window_ns == 0 || now - t < pol->restart_window_ns;
}

/* The budget is used up when restart_limit restarts already lie within the window.
 * The ring holds the last restart_limit times; when full, ring_next is the oldest. */
static bool budget_used_up(const struct hm_policy *pol, const struct hm_part *st, uint64_t now)
{
	if (st->ring_used < pol->restart_limit)
		return false;
	return pol->restart_limit == 0 || in_window(pol, st->ring[st->ring_next], now);
}

static uint32_t restarts_in_window(const struct hm_policy *pol, const struct hm_part *st,
				   uint64_t now)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < st->ring_used; i++)
		n += in_window(pol, st->ring[i], now);
	return n;
}

static enum hm_event event_of(enum plan_hm_action a)
{
	switch (a) {
	case HM_ACT_IGNORE:
		return HM_EV_DETECT;
	case HM_ACT_RESTART_CELL:
		return HM_EV_RESTART_CELL;
	case HM_ACT_WARM_RESTART:
		return HM_EV_RESTART_WARM;
	case HM_ACT_COLD_RESTART:
		return HM_EV_RESTART_COLD;
	default: /* stop; escalate stops the partition before the system acts */
		return HM_EV_STOP;
	}
}

enum hm_err hm_detect(struct hm *hm, unsigned int part, enum plan_hm_class cls, uint64_t now_ns,
		      const struct hm_detail *d, struct hm_decision *out)
{
	const struct hm_policy *pol;
	const struct transition *detect, *t;
	struct hm_part *st;
	enum plan_hm_action planned, action;
	bool limit = false;

	if (part >= hm->n_part)
		return HM_ERR_PARTITION;
	if ((unsigned int)cls >= HM_CLASSES || cls == HM_RESTART_LIMIT || !d ||
	    (d->cell != HM_NO_CELL && (d->cell < 0 || d->cell >= PLAN_CELLS)))
		return HM_ERR_ARGUMENT;
	pol = &hm->policy[part];
	st = &hm->part[part];
	detect = find(st->state, HM_EV_DETECT);
	if (!detect) {
		st->refused++;
		return HM_ERR_TRANSITION;
	}
	planned = action = pol->action[cls];
	if (planned == HM_ACT_RESTART_CELL && d->cell == HM_NO_CELL)
		return HM_ERR_NO_CELL;
	if (plan_hm_action_restarts(planned)) {
		if (st->ring_used &&
		    now_ns < st->ring[(st->ring_next + pol->restart_limit - 1) % pol->restart_limit])
			return HM_ERR_TIME;
		if (budget_used_up(pol, st, now_ns)) {
			limit = true;
			action = pol->action[HM_RESTART_LIMIT]; /* stop or escalate (hm_build) */
		}
	}
	t = find(detect->to, event_of(action));
	if (!t) {
		st->refused++;
		return HM_ERR_TRANSITION;
	}

	/* Everything is known to hold: from here on the decision is carried out. */
	st->detections[cls]++;
	if (limit)
		st->detections[HM_RESTART_LIMIT]++;
	if (plan_hm_action_restarts(action)) {
		st->ring[st->ring_next] = now_ns;
		st->ring_next = (st->ring_next + 1) % pol->restart_limit;
		if (st->ring_used < pol->restart_limit)
			st->ring_used++;
		if (action == HM_ACT_RESTART_CELL)
			st->cell_restarts++;
		else
			st->restarts++;
	}
	*out = (struct hm_decision){
		.partition = pol->name,
		.cls = cls,
		.cell = d->cell,
		.detail = d->detail ? d->detail : "",
		.planned = planned,
		.action = action,
		.limit = limit,
		.from = st->state,
		.restarts = st->restarts,
		.cell_restarts = st->cell_restarts,
		.window_restarts = restarts_in_window(pol, st, now_ns),
		.system = hm->system,
	};
	apply(st, t);
	out->state = st->state;
	return HM_OK;
}

uint64_t hm_wipe_bytes(const struct hm_policy *pol, enum plan_hm_action restart)
{
	if (restart == HM_ACT_COLD_RESTART)
		return pol->memory_bytes;
	if (restart == HM_ACT_WARM_RESTART)
		return pol->memory_bytes - pol->persistent_bytes;
	return 0;
}

size_t hm_event_fields(const struct hm_decision *d, struct log_field *f)
{
	size_t n = 0;

	f[n++] = LOG_STR("partition", d->partition);
	f[n++] = LOG_STR("cell", d->cell == HM_NO_CELL ? NULL : plan_cell_name(d->cell));
	f[n++] = LOG_STR("class", plan_hm_class_name(d->cls));
	f[n++] = LOG_STR("detail", d->detail);
	f[n++] = LOG_STR("planned", plan_hm_action_name(d->planned));
	f[n++] = LOG_STR("action", plan_hm_action_name(d->action));
	f[n++] = LOG_BOOL("limit", d->limit);
	f[n++] = LOG_U64("restarts", d->restarts);
	f[n++] = LOG_U64("cell_restarts", d->cell_restarts);
	f[n++] = LOG_U64("window_restarts", d->window_restarts);
	f[n++] = LOG_STR("state", hm_state_name(d->state));
	return n;
}

enum hm_err hm_stats(const struct hm *hm, unsigned int part, struct hm_stats *out)
{
	const struct hm_part *st;

	if (part >= hm->n_part)
		return HM_ERR_PARTITION;
	st = &hm->part[part];
	out->partition = hm->policy[part].name;
	out->state = st->state;
	out->restarts = st->restarts;
	out->cell_restarts = st->cell_restarts;
	out->refused = st->refused;
	for (unsigned int k = 0; k < HM_CLASSES; k++)
		out->detections[k] = st->detections[k];
	return HM_OK;
}

/* The classes as JSON keys (the words with '_' for '-'). */
static const char *const class_keys[HM_CLASSES] = {
	[HM_MEMORY_VIOLATION] = "memory_violation",
	[HM_ILLEGAL_INSTRUCTION] = "illegal_instruction",
	[HM_FAULT] = "fault",
	[HM_SYSCALL_VIOLATION] = "syscall_violation",
	[HM_DEADLINE_MISS] = "deadline_miss",
	[HM_HEARTBEAT_MISS] = "heartbeat_miss",
	[HM_APPLICATION_ERROR] = "application_error",
	[HM_RESTART_LIMIT] = "restart_limit",
};

size_t hm_stats_fields(const struct hm_stats *s, struct log_field *f)
{
	size_t n = 0;

	f[n++] = LOG_STR("partition", s->partition);
	f[n++] = LOG_STR("state", hm_state_name(s->state));
	f[n++] = LOG_U64("restarts", s->restarts);
	f[n++] = LOG_U64("cell_restarts", s->cell_restarts);
	f[n++] = LOG_U64("refused", s->refused);
	for (unsigned int k = 0; k < HM_CLASSES; k++)
		f[n++] = LOG_U64(class_keys[k], s->detections[k]);
	return n;
}

enum hm_err hm_status(const struct hm *hm, unsigned int part, struct bh_partition_status *st)
{
	if (part >= hm->n_part)
		return HM_ERR_PARTITION;
	st->mode = hm_mode(hm->part[part].state);
	st->start_condition = hm->part[part].start_condition;
	st->restarts = hm->part[part].restarts;
	return HM_OK;
}
