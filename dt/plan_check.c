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

static int cmp_index(uint32_t a, uint32_t b)
{
	return a < b ? -1 : a > b;
}

static const char *part_name(const void *ctx, uint32_t i)
{
	return ((const struct plan *)ctx)->part[i].name;
}

static const char *chan_name(const void *ctx, uint32_t i)
{
	return ((const struct plan *)ctx)->chan[i].name;
}

static int cmp_part_name(const void *ctx, uint32_t a, uint32_t b)
{
	int c = BH_LIBC(strcmp)(part_name(ctx, a), part_name(ctx, b));

	return c ? c : cmp_index(a, b);
}

static int cmp_chan_name(const void *ctx, uint32_t a, uint32_t b)
{
	int c = BH_LIBC(strcmp)(chan_name(ctx, a), chan_name(ctx, b));

	return c ? c : cmp_index(a, b);
}

static void sort_names(struct plan *p)
{
	for (uint32_t i = 0; i < p->n_part; i++)
		p->idx.part_by_name[i] = i;
	plan_sort_idx(p->idx.part_by_name, p->n_part, cmp_part_name, p);
	for (uint32_t i = 0; i < p->n_chan; i++)
		p->idx.chan_by_name[i] = i;
	plan_sort_idx(p->idx.chan_by_name, p->n_chan, cmp_chan_name, p);
}

/* The lowest index of the partition called name, or -1 (plan_find_partition's answer,
 * by binary search on the sorted index). */
static int find_part(const struct plan *p, const char *name)
{
	size_t k = plan_lower_bound(p->idx.part_by_name, p->n_part, part_name, p, name);

	if (!name[0] || k == p->n_part || BH_LIBC(strcmp)(part_name(p, p->idx.part_by_name[k]), name))
		return -1;
	return (int)p->idx.part_by_name[k];
}

/* by_name: the n indexes sorted by name. Each entry whose name an earlier one has is an
 * error naming the first (lowest index) one. */
static void check_unique(const struct plan *p, const uint32_t *by_name, unsigned int n,
			 plan_idx_key name_of, const char *(*path_of)(const struct plan *, uint32_t),
			 const char *kind, struct plan_report *rep)
{
	for (uint32_t i = 0; i < n; i++) {
		const char *name = name_of(p, i);
		uint32_t first = by_name[plan_lower_bound(by_name, n, name_of, p, name)];

		if (name[0] && first != i) {
			struct strbuf sb = plan_error_add(rep, RULE_DUPLICATE, path_of(p, i));

			sb_puts(&sb, kind);
			sb_puts(&sb, " name '");
			sb_puts(&sb, name);
			sb_puts(&sb, "' is also ");
			sb_puts(&sb, path_of(p, first));
		}
	}
}

static const char *part_path(const struct plan *p, uint32_t i)
{
	return p->part[i].path;
}

static const char *chan_path(const struct plan *p, uint32_t i)
{
	return p->chan[i].path;
}

static void check_names(struct plan *p, struct plan_report *rep)
{
	sort_names(p);
	check_unique(p, p->idx.part_by_name, p->n_part, part_name, part_path, "partition", rep);
	check_unique(p, p->idx.chan_by_name, p->n_chan, chan_name, chan_path, "channel", rep);
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

static int cmp_window(const void *ctx, uint32_t a, uint32_t b)
{
	const struct plan_window *w = ((const struct plan_cpu *)ctx)->w;

	if (w[a].offset_us != w[b].offset_us)
		return w[a].offset_us < w[b].offset_us ? -1 : 1;
	return cmp_index(a, b);
}

/* Windows in offset order, equal offsets in plan order: sort their indexes, then move
 * each window once along the permutation's cycles. */
static void sort_windows(struct plan_cpu *c, uint32_t *v)
{
	for (uint32_t i = 0; i < c->n; i++)
		v[i] = i;
	plan_sort_idx(v, c->n, cmp_window, c);
	for (uint32_t i = 0; i < c->n; i++) {
		struct plan_window w = c->w[i];
		uint32_t j = i;

		if (v[i] == i)
			continue;
		while (v[j] != i) {
			uint32_t next = v[j];

			c->w[j] = c->w[next];
			v[j] = j;
			j = next;
		}
		c->w[j] = w;
		v[j] = j;
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
		int part = find_part(p, w->partition);
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
		sort_windows(c, p->idx.win_by_offset);
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

static int cmp_base(const void *ctx, uint32_t a, uint32_t b)
{
	const struct plan_partition *pa = &((const struct plan *)ctx)->part[a];
	const struct plan_partition *pb = &((const struct plan *)ctx)->part[b];

	if (pa->memory_base != pb->memory_base)
		return pa->memory_base < pb->memory_base ? -1 : 1;
	return cmp_index(a, b);
}

static void memory_overlap(const struct plan *p, uint32_t i, uint32_t j, struct plan_report *rep)
{
	const struct plan_partition *a = &p->part[i > j ? i : j], *b = &p->part[i > j ? j : i];
	struct strbuf sb = plan_error_add(rep, RULE_MEMORY_OVERLAP, a->path);

	plan_put_range(&sb, a->memory_base, a->memory_bytes);
	sb_puts(&sb, " overlaps ");
	sb_puts(&sb, b->path);
	sb_puts(&sb, " (");
	plan_put_range(&sb, b->memory_base, b->memory_bytes);
	sb_puts(&sb, ")");
}

/* Fixed regions sorted by base: each overlaps exactly the ones after it that start
 * before it ends (n log n, plus one step per overlapping pair). Each pair is reported
 * once, at the partition later in the plan. */
static void check_memory(struct plan *p, struct plan_report *rep)
{
	uint32_t *v = p->idx.part_by_base, n = 0;

	for (uint32_t i = 0; i < p->n_part; i++) {
		const struct plan_partition *a = &p->part[i];

		if (!a->has_base || !a->memory_bytes)
			continue;
		if (a->memory_base + a->memory_bytes < a->memory_base) {
			plan_error_str(rep, RULE_RANGE, a->path, "memory-base + memory-bytes wraps around");
			continue;
		}
		v[n++] = i;
	}
	plan_sort_idx(v, n, cmp_base, p);
	for (uint32_t k = 0; k < n; k++) {
		const struct plan_partition *a = &p->part[v[k]];

		for (uint32_t m = k + 1;
		     m < n && p->part[v[m]].memory_base < a->memory_base + a->memory_bytes; m++)
			memory_overlap(p, v[k], v[m], rep);
	}
}

/* A device entry: partition << 8 | its index in the partition's devices. */
static const char *dev_path(const void *ctx, uint32_t e)
{
	return ((const struct plan *)ctx)->part[e >> 8].devices[e & 0xff];
}

static int cmp_dev(const void *ctx, uint32_t a, uint32_t b)
{
	int c = BH_LIBC(strcmp)(dev_path(ctx, a), dev_path(ctx, b));

	return c ? c : cmp_index(a, b);
}

_Static_assert(PLAN_MAX_DEVICES <= 256, "a device entry packs its index in 8 bits");

/* Every listing of a device after its first (in plan order) is an error naming the
 * partition of the first. */
static void check_devices(struct plan *p, struct plan_report *rep)
{
	uint32_t *v = p->idx.dev_by_path, n = 0;

	for (uint32_t i = 0; i < p->n_part; i++)
		for (uint32_t d = 0; d < p->part[i].n_devices; d++)
			v[n++] = i << 8 | d;
	plan_sort_idx(v, n, cmp_dev, p);
	for (uint32_t i = 0; i < p->n_part; i++) {
		for (uint32_t d = 0; d < p->part[i].n_devices; d++) {
			const char *dev = p->part[i].devices[d];
			uint32_t first = v[plan_lower_bound(v, n, dev_path, p, dev)], j = first >> 8;

			if (first == (i << 8 | d))
				continue;
			struct strbuf sb = plan_error_add(rep, RULE_DEVICE_SHARED, p->part[i].path);

			sb_puts(&sb, "device ");
			sb_puts(&sb, dev);
			sb_puts(&sb, j == i ? " is listed twice" : " is also owned by ");
			if (j != i)
				sb_puts(&sb, p->part[j].path);
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

		if (ch->source[0] && find_part(p, ch->source) < 0) {
			struct strbuf sb = endpoint_error(rep, ch, "source", ch->source,
							  "is not a partition of the plan");

			put_partition_suggestion(p, ch->source, &sb);
		}
		for (unsigned int d = 0; d < ch->n_dest; d++) {
			if (find_part(p, ch->dest[d]) < 0) {
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
