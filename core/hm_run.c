/*
 * The health monitor in the running kernel (hm_run.h): core/hm.c's decisions, logged.
 */
#include "core/hm_run.h"
#include "core/log.h"

static struct hm hm; /* its tables: memory the plan sized (hm_run_init) */
static bool hm_ready;

/* ESR_ELx.EC values (Arm ARM D17.2.37) that name a class other than `fault`. */
enum {
	EC_UNKNOWN = 0x00,    /* an undefined instruction (udf) */
	EC_WFX = 0x01,
	EC_ILLEGAL = 0x0e,    /* illegal execution state */
	EC_HVC = 0x16,
	EC_SMC = 0x17,
	EC_SYSREG = 0x18,     /* MSR, MRS or a system instruction trapped */
	EC_IABT_LOW = 0x20,
	EC_PC_ALIGN = 0x22,
	EC_DABT_LOW = 0x24,
	EC_SP_ALIGN = 0x26,
};

enum plan_hm_class hm_run_class_of_ec(uint32_t ec)
{
	switch (ec) {
	case EC_IABT_LOW:
	case EC_DABT_LOW:
	case EC_PC_ALIGN:
	case EC_SP_ALIGN:
		return HM_MEMORY_VIOLATION;
	case EC_UNKNOWN:
	case EC_WFX:
	case EC_ILLEGAL:
	case EC_HVC:
	case EC_SMC:
	case EC_SYSREG:
		return HM_ILLEGAL_INSTRUCTION;
	default:
		return HM_FAULT;
	}
}

static void refused(unsigned int part, const char *what, enum hm_err e)
{
	const char *name = hm_ready && part < hm.n_part ? hm.policy[part].name : NULL;

	LOG(LOG_WARN, "hm", "hm_refused", LOG_STR("partition", name), LOG_STR("what", what),
	    LOG_STR("state", hm_state_name(hm_run_state(part))), LOG_STR("error", hm_strerror(e)));
}

bool hm_run_init(const struct plan *p, void *mem, size_t bytes)
{
	enum hm_err e = HM_ERR_MEMORY;

	if (mem && hm_mem_bytes(p) <= bytes)
		e = hm_build(&hm, p, mem, bytes);
	if (e != HM_OK) {
		refused(0, "build", e);
		return false;
	}
	hm_ready = true;
	for (unsigned int i = 0; i < p->n_part; i++)
		if (!hm_run_transition(i, HM_EV_BOOT) || !hm_run_transition(i, HM_EV_START_DONE))
			return false;
	return true;
}

bool hm_run_transition(unsigned int part, enum hm_event ev)
{
	enum hm_err e = hm_transition(&hm, part, ev);

	if (e != HM_OK) {
		refused(part, hm_event_name(ev), e);
		return false;
	}
	return true;
}

static bool detect(unsigned int part, enum plan_hm_class cls, int cell, uint64_t now_ns,
		   const char *detail, struct hm_decision *out, bool log)
{
	const struct hm_detail d = { cell, detail };
	struct log_field f[HM_EVENT_FIELDS];
	enum hm_err e = hm_detect(&hm, part, cls, now_ns, &d, out);

	if (e != HM_OK) {
		refused(part, plan_hm_class_name(cls), e);
		return false;
	}
	if (log && log_enabled(LOG_WARN))
		log_emit(LOG_WARN, "hm", "hm", f, hm_event_fields(out, f));
	return true;
}

bool hm_run_detect(unsigned int part, enum plan_hm_class cls, int cell, uint64_t now_ns,
		   const char *detail, struct hm_decision *out)
{
	return detect(part, cls, cell, now_ns, detail, out, true);
}

bool hm_run_detect_unlogged(unsigned int part, enum plan_hm_class cls, int cell, uint64_t now_ns,
			    const char *detail, struct hm_decision *out)
{
	return detect(part, cls, cell, now_ns, detail, out, false);
}

enum hm_state hm_run_state(unsigned int part)
{
	return hm_ready && part < hm.n_part ? hm.part[part].state : HM_STATE_STOPPED;
}

const struct hm_policy *hm_run_policy(unsigned int part)
{
	return hm_ready && part < hm.n_part ? &hm.policy[part] : NULL;
}

void hm_run_status(unsigned int part, struct bh_partition_status *st)
{
	if (hm_status(&hm, part, st) != HM_OK) {
		st->mode = BH_MODE_IDLE;
		st->start_condition = BH_START_NORMAL;
		st->restarts = 0;
	}
}

void hm_run_shutdown(void)
{
	for (unsigned int i = 0; hm_ready && i < hm.n_part; i++) {
		struct hm_stats s;
		struct log_field f[HM_STATS_FIELDS];

		if (hm_stats(&hm, i, &s) == HM_OK && log_enabled(LOG_INFO))
			log_emit(LOG_INFO, "hm", "hm_stats", f, hm_stats_fields(&s, f));
	}
}
