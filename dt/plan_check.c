/*
 * Rules on the plan alone: names, schedule, cell timing, memory and device ownership,
 * channels. Each finding names its rule, the node and the values involved.
 */
#include "core/lib/libc.h"
#include "dt/plan_hm.h"
#include "dt/plan_internal.h"

static const char *leaf(const char *path)
{
	const char *s = BH_LIBC(strrchr)(path, '/');

	return s ? s + 1 : path;
}

/* names[i] at paths[i], stride bytes apart: the first repeat of each name is an error. */
static void check_unique(const char *names, const char *paths, size_t stride, unsigned int n,
			 const char *kind, struct plan_report *rep)
{
	for (unsigned int i = 0; i < n; i++) {
		const char *name = names + i * stride;

		for (unsigned int j = 0; j < i; j++) {
			if (name[0] && !BH_LIBC(strcmp)(name, names + j * stride)) {
				struct strbuf sb = plan_error_add(rep, RULE_DUPLICATE, paths + i * stride);

				sb_puts(&sb, kind);
				sb_puts(&sb, " name '");
				sb_puts(&sb, name);
				sb_puts(&sb, "' is also ");
				sb_puts(&sb, paths + j * stride);
				break;
			}
		}
	}
}

static void check_names(const struct plan *p, struct plan_report *rep)
{
	check_unique(p->part[0].name, p->part[0].path, sizeof(p->part[0]), p->n_part, "partition", rep);
	check_unique(p->chan[0].name, p->chan[0].path, sizeof(p->chan[0]), p->n_chan, "channel", rep);
}

/* ", did you mean 'x'?" for a name that is not a partition of the plan. */
static void put_partition_suggestion(const struct plan *p, const char *name, struct strbuf *sb)
{
	struct plan_suggest sg;

	plan_suggest_init(&sg, name);
	for (unsigned int i = 0; i < p->n_part; i++)
		plan_suggest_consider(&sg, p->part[i].name);
	plan_suggest_put(&sg, sb);
}

static void check_images(const struct plan *p, const char *const *programs, unsigned int n,
			 struct plan_report *rep)
{
	for (unsigned int i = 0; programs && i < p->n_part; i++) {
		unsigned int k;

		for (k = 0; k < n && BH_LIBC(strcmp)(programs[k], p->part[i].image); k++)
			;
		if (k == n && p->part[i].image[0]) {
			struct strbuf sb = plan_error_add(rep, RULE_IMAGE_UNKNOWN, p->part[i].path);

			struct plan_suggest sg;

			sb_puts(&sb, "image '");
			sb_puts(&sb, p->part[i].image);
			sb_puts(&sb, "' is not a program built from partitions/");
			plan_suggest_init(&sg, p->part[i].image);
			for (k = 0; k < n; k++)
				plan_suggest_consider(&sg, programs[k]);
			plan_suggest_put(&sg, &sb);
		}
	}
}

static void sort_windows(struct plan_cpu *c)
{
	for (unsigned int i = 1; i < c->n; i++) {
		struct plan_window w = c->w[i];
		unsigned int j = i;

		for (; j > 0 && c->w[j - 1].offset_us > w.offset_us; j--)
			c->w[j] = c->w[j - 1];
		c->w[j] = w;
	}
}

/* Returns false if the CPU's windows are not a valid timeline (timing rules then skip it). */
static bool check_cpu(const struct plan *p, const struct plan_cpu *c, struct plan_report *rep)
{
	bool ok = true;
	const struct plan_window *last = NULL; /* the window that ends latest so far */

	for (unsigned int i = 0; i < c->n; i++) {
		const struct plan_window *w = &c->w[i];
		uint64_t end = (uint64_t)w->offset_us + w->duration_us;
		int part = plan_find_partition(p, w->partition);
		struct strbuf sb;

		if (!w->partition[0]) {
			plan_error_str(rep, RULE_WINDOW_PARTITION, w->path, "names no partition");
			ok = false;
		} else if (part < 0) {
			sb = plan_error_add(rep, RULE_WINDOW_PARTITION, w->path);
			sb_puts(&sb, "names partition '");
			sb_puts(&sb, w->partition);
			sb_puts(&sb, "', which the plan does not have");
			put_partition_suggestion(p, w->partition, &sb);
			ok = false;
		} else if (p->part[part].cpu != c->cpu) {
			sb = plan_error_add(rep, RULE_WINDOW_CPU, w->path);
			sb_puts(&sb, "partition '");
			sb_puts(&sb, w->partition);
			sb_puts(&sb, "' is assigned to CPU ");
			sb_u64(&sb, p->part[part].cpu);
			sb_puts(&sb, ", this window is on CPU ");
			sb_u64(&sb, c->cpu);
			ok = false;
		}
		if (end > p->major_frame_us) {
			sb = plan_error_add(rep, RULE_WINDOW_FRAME, w->path);
			sb_puts(&sb, "ends at ");
			sb_u64(&sb, end);
			sb_puts(&sb, " us, after the major frame (");
			sb_u64(&sb, p->major_frame_us);
			sb_puts(&sb, " us)");
			ok = false;
		}
		if (last && w->offset_us < (uint64_t)last->offset_us + last->duration_us) {
			sb = plan_error_add(rep, RULE_WINDOW_OVERLAP, w->path);
			plan_put_span(&sb, w->offset_us, end);
			sb_puts(&sb, " overlaps ");
			sb_puts(&sb, leaf(last->path));
			sb_puts(&sb, " (");
			plan_put_span(&sb, last->offset_us, (uint64_t)last->offset_us + last->duration_us);
			sb_puts(&sb, ")");
			ok = false;
		}
		if (!last || end > (uint64_t)last->offset_us + last->duration_us)
			last = w;
	}
	return ok;
}

static bool check_schedule(struct plan *p, struct plan_report *rep)
{
	bool ok = true;

	for (unsigned int i = 0; i < p->n_sched; i++) {
		struct plan_cpu *c = &p->sched[i];

		if (c->cpu >= PLAN_MAX_CPUS) {
			struct strbuf sb = plan_error_add(rep, RULE_SCHEDULE_CPU, c->path);

			sb_puts(&sb, "reg = ");
			sb_u64(&sb, c->cpu);
			sb_puts(&sb, ", expected a CPU number 0..7");
			ok = false;
		}
		for (unsigned int j = 0; j < i; j++) {
			if (p->sched[j].cpu == c->cpu) {
				struct strbuf sb = plan_error_add(rep, RULE_SCHEDULE_CPU, c->path);

				sb_puts(&sb, "CPU ");
				sb_u64(&sb, c->cpu);
				sb_puts(&sb, " is already scheduled by ");
				sb_puts(&sb, p->sched[j].path);
				ok = false;
				break;
			}
		}
		sort_windows(c);
		ok &= check_cpu(p, c, rep);
	}
	for (unsigned int i = 0; i < p->n_part; i++) {
		if (plan_partition_supply_us(p, i) == 0) {
			struct strbuf sb = plan_error_add(rep, RULE_PARTITION_UNSCHEDULED, p->part[i].path);

			sb_puts(&sb, "on CPU ");
			sb_u64(&sb, p->part[i].cpu);
			sb_puts(&sb, ", which has no window for it");
			ok = false;
		}
	}
	return ok;
}

/* Percent with one decimal from a ratio num/den. */
static void put_percent(struct strbuf *sb, uint64_t num, uint64_t den)
{
	uint64_t permille = den ? (num * 1000 + den / 2) / den : 0;

	sb_u64(sb, permille / 10);
	sb_putc(sb, '.');
	sb_u64(sb, permille % 10);
	sb_putc(sb, '%');
}

static void check_cells(const struct plan *p, bool schedule_ok, struct plan_report *rep)
{
	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct plan_partition *pp = &p->part[i];
		bool timing_ok = true;
		/* Demand in parts per 10^9 of the CPU: sum of wcet / period. */
		uint64_t demand = 0, supply = plan_partition_supply_us(p, i);

		for (unsigned int k = 0; k < PLAN_CELLS; k++) {
			const struct plan_cell *cl = &pp->cell[k];
			struct strbuf sb;

			if (!cl->periodic)
				continue;
			if (cl->wcet_us > cl->deadline_us || cl->deadline_us > cl->period_us) {
				sb = plan_error_add(rep, RULE_CELL_TIMING, pp->path);
				sb_puts(&sb, plan_cell_name(k));
				sb_puts(&sb, ": expected wcet-us <= deadline-us <= period-us, have ");
				sb_u64(&sb, cl->wcet_us);
				sb_puts(&sb, ", ");
				sb_u64(&sb, cl->deadline_us);
				sb_puts(&sb, ", ");
				sb_u64(&sb, cl->period_us);
				timing_ok = false;
				continue;
			}
			demand += (uint64_t)cl->wcet_us * 1000000000ULL / cl->period_us;
			if (!schedule_ok)
				continue;
			uint64_t sbf = plan_supply_bound_us(p, i, cl->deadline_us);

			if (sbf < cl->wcet_us) {
				sb = plan_error_add(rep, RULE_CELL_DEADLINE, pp->path);
				sb_puts(&sb, plan_cell_name(k));
				sb_puts(&sb, ": wcet-us ");
				sb_u64(&sb, cl->wcet_us);
				sb_puts(&sb, " cannot fit within deadline-us ");
				sb_u64(&sb, cl->deadline_us);
				sb_puts(&sb, ": the windows guarantee only ");
				sb_u64(&sb, sbf);
				sb_puts(&sb, " us in any such interval");
			}
		}
		if (!schedule_ok || !timing_ok || !p->major_frame_us)
			continue;
		if (demand * p->major_frame_us > supply * 1000000000ULL) {
			struct strbuf sb = plan_error_add(rep, RULE_CELL_UTILISATION, pp->path);

			sb_puts(&sb, "periodic cells need ");
			put_percent(&sb, demand, 1000000000ULL);
			sb_puts(&sb, " of CPU ");
			sb_u64(&sb, pp->cpu);
			sb_puts(&sb, ", the partition's windows give ");
			put_percent(&sb, supply, p->major_frame_us);
			sb_puts(&sb, " (");
			sb_u64(&sb, supply);
			sb_puts(&sb, " of ");
			sb_u64(&sb, p->major_frame_us);
			sb_puts(&sb, " us)");
		}
	}
}

static void check_memory(const struct plan *p, struct plan_report *rep)
{
	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct plan_partition *a = &p->part[i];

		if (!a->has_base || !a->memory_bytes)
			continue;
		if (a->memory_base + a->memory_bytes < a->memory_base) {
			plan_error_str(rep, RULE_RANGE, a->path, "memory-base + memory-bytes wraps around");
			continue;
		}
		for (unsigned int j = 0; j < i; j++) {
			const struct plan_partition *b = &p->part[j];

			if (!b->has_base || a->memory_base >= b->memory_base + b->memory_bytes ||
			    b->memory_base >= a->memory_base + a->memory_bytes)
				continue;
			struct strbuf sb = plan_error_add(rep, RULE_MEMORY_OVERLAP, a->path);

			plan_put_range(&sb, a->memory_base, a->memory_bytes);
			sb_puts(&sb, " overlaps ");
			sb_puts(&sb, b->path);
			sb_puts(&sb, " (");
			plan_put_range(&sb, b->memory_base, b->memory_bytes);
			sb_puts(&sb, ")");
		}
	}
}

static void check_devices(const struct plan *p, struct plan_report *rep)
{
	for (unsigned int i = 0; i < p->n_part; i++) {
		for (unsigned int d = 0; d < p->part[i].n_devices; d++) {
			const char *dev = p->part[i].devices[d];

			for (unsigned int j = 0; j <= i; j++) {
				unsigned int n = j == i ? d : p->part[j].n_devices, e;

				for (e = 0; e < n && BH_LIBC(strcmp)(dev, p->part[j].devices[e]); e++)
					;
				if (e == n)
					continue;
				struct strbuf sb = plan_error_add(rep, RULE_DEVICE_SHARED, p->part[i].path);

				sb_puts(&sb, "device ");
				sb_puts(&sb, dev);
				sb_puts(&sb, j == i ? " is listed twice" : " is also owned by ");
				if (j != i)
					sb_puts(&sb, p->part[j].path);
				break;
			}
		}
	}
}

static struct strbuf endpoint_error(struct plan_report *rep, const struct plan_channel *ch,
				    const char *role, const char *name, const char *problem)
{
	struct strbuf sb = plan_error_add(rep, RULE_CHANNEL_ENDPOINT, ch->path);

	sb_puts(&sb, role);
	sb_puts(&sb, " '");
	sb_puts(&sb, name);
	sb_puts(&sb, "' ");
	sb_puts(&sb, problem);
	return sb;
}

static void check_channels(const struct plan *p, struct plan_report *rep)
{
	for (unsigned int i = 0; i < p->n_chan; i++) {
		const struct plan_channel *ch = &p->chan[i];

		if (ch->source[0] && plan_find_partition(p, ch->source) < 0) {
			struct strbuf sb = endpoint_error(rep, ch, "source", ch->source,
							  "is not a partition of the plan");

			put_partition_suggestion(p, ch->source, &sb);
		}
		for (unsigned int d = 0; d < ch->n_dest; d++) {
			if (plan_find_partition(p, ch->dest[d]) < 0) {
				struct strbuf sb = endpoint_error(rep, ch, "destination", ch->dest[d],
								  "is not a partition of the plan");

				put_partition_suggestion(p, ch->dest[d], &sb);
			} else if (!BH_LIBC(strcmp)(ch->dest[d], ch->source)) {
				(void)endpoint_error(rep, ch, "destination", ch->dest[d], "is also the source");
			}
			for (unsigned int e = 0; e < d; e++)
				if (!BH_LIBC(strcmp)(ch->dest[d], ch->dest[e]))
					(void)endpoint_error(rep, ch, "destination", ch->dest[d],
							     "is listed twice");
		}
		if (ch->kind == CHANNEL_QUEUING && ch->n_dest > 1) {
			struct strbuf sb = plan_error_add(rep, RULE_CHANNEL_ENDPOINT, ch->path);

			sb_puts(&sb, "a queuing channel has exactly one destination, this one has ");
			sb_u64(&sb, ch->n_dest);
		}
	}
}

enum plan_err plan_check(struct plan *p, const char *const *programs, unsigned int n_programs,
			 struct plan_report *rep)
{
	unsigned int errors = rep->n + rep->dropped;
	bool schedule_ok;

	check_names(p, rep);
	check_images(p, programs, n_programs, rep);
	schedule_ok = check_schedule(p, rep);
	check_cells(p, schedule_ok, rep);
	check_memory(p, rep);
	check_devices(p, rep);
	check_channels(p, rep);
	plan_check_hm(p, rep);
	return rep->n + rep->dropped == errors ? PLAN_OK : PLAN_INVALID;
}
