#include "core/images.h"
#include "core/lib/sha256.h"
#include "core/log.h"
#include "core/plan_boot.h"

static unsigned int count_windows(const struct plan *p)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < p->n_sched; i++)
		n += p->sched[i].n;
	return n;
}

/* Rule image-digest against the embedded images, one image at a time (no table copy). */
static enum plan_err check_digests(const struct plan *p, struct plan_report *rep)
{
	enum plan_err e = PLAN_OK;

	for (size_t i = 0; i < image_count; i++) {
		struct plan_image_digest d = { image_table[i].name, image_table[i].sha256 };

		if (plan_check_digests(p, &d, 1, rep) != PLAN_OK)
			e = PLAN_INVALID;
	}
	return e;
}

bool plan_boot_load(const struct plan_boot *in, struct plan_state *st)
{
	struct plan_report *rep = &st->report;
	const char *programs[IMAGE_MAX];
	unsigned int n_programs = image_names(programs, IMAGE_MAX);

	plan_report_init(rep);
	sha256_hex(in->blob, in->size, st->sha256);
	if (plan_parse(in->blob, in->size, &st->plan, &st->arena, rep) == PLAN_OK &&
	    plan_check(&st->plan, programs, n_programs, rep) == PLAN_OK && /* image-unknown too */
	    check_digests(&st->plan, rep) == PLAN_OK &&
	    plan_check_platform(&st->plan, &in->env, &st->map, rep) == PLAN_OK) {
		const struct plan *p = &st->plan;

		LOG(LOG_INFO, "plan", "plan", LOG_STR("source", in->source),
		    LOG_U64("bytes", in->size), LOG_STR("sha256", st->sha256),
		    LOG_U64("partitions", p->n_part),
		    LOG_U64("cpus_scheduled", p->n_sched), LOG_U64("frame_us", p->major_frame_us),
		    LOG_U64("windows", count_windows(p)), LOG_U64("channels", p->n_chan),
		    LOG_U64("table_bytes", st->arena.used));
		return true;
	}
	for (unsigned int i = 0; i < rep->n; i++)
		LOG(LOG_ERROR, "plan", "plan_invalid", LOG_STR("source", in->source),
		    LOG_STR("rule", plan_rule_name(rep->e[i].rule)), LOG_STR("path", rep->e[i].path),
		    LOG_STR("what", rep->e[i].what));
	if (rep->dropped)
		LOG(LOG_ERROR, "plan", "plan_invalid", LOG_STR("source", in->source),
		    LOG_U64("more", rep->dropped));
	LOG(LOG_ERROR, "plan", "plan_refused", LOG_STR("source", in->source),
	    LOG_U64("bytes", in->size), LOG_STR("sha256", st->sha256),
	    LOG_U64("errors", rep->n + rep->dropped));
	return false;
}
