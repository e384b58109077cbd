/*
 * The plan checks that sort (names, windows, memory, devices, channel endpoints) against
 * the pairwise versions they replaced, on seeded random plans with many collisions. The
 * reference below is the old quadratic code, kept here only to compare against.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/plan_arena.h"
#include "core/lib/libc.h"
#include "dt/plan_internal.h"
#include "plan_gen.h"

/* ---- Reference: the pairwise checks as they were ---- */

static const char *ref_leaf(const char *path)
{
	const char *s = BH_LIBC(strrchr)(path, '/');

	return s ? s + 1 : path;
}

/* names[i] at paths[i], stride bytes apart: the first repeat of each name is an error. */
static void ref_check_unique(const char *names, const char *paths, size_t stride, unsigned int n,
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

static void ref_check_names(const struct plan *p, struct plan_report *rep)
{
	ref_check_unique(p->part[0].name, p->part[0].path, sizeof(p->part[0]), p->n_part, "partition", rep);
	ref_check_unique(p->chan[0].name, p->chan[0].path, sizeof(p->chan[0]), p->n_chan, "channel", rep);
}


/* ", did you mean 'x'?" for a name that is not a partition of the plan. */
static void ref_put_partition_suggestion(const struct plan *p, const char *name, struct strbuf *sb)
{
	struct plan_suggest sg;

	plan_suggest_init(&sg, name);
	for (unsigned int i = 0; i < p->n_part; i++)
		plan_suggest_consider(&sg, p->part[i].name);
	plan_suggest_put(&sg, sb);
}


static void ref_sort_windows(struct plan_cpu *c)
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
static bool ref_check_cpu(const struct plan *p, const struct plan_cpu *c, struct plan_report *rep)
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
			ref_put_partition_suggestion(p, w->partition, &sb);
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
			sb_puts(&sb, ref_leaf(last->path));
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


static void ref_check_memory(const struct plan *p, struct plan_report *rep)
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

static void ref_check_devices(const struct plan *p, struct plan_report *rep)
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

static struct strbuf ref_endpoint_error(struct plan_report *rep, const struct plan_channel *ch,
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

static void ref_check_channels(const struct plan *p, struct plan_report *rep)
{
	for (unsigned int i = 0; i < p->n_chan; i++) {
		const struct plan_channel *ch = &p->chan[i];

		if (ch->source[0] && plan_find_partition(p, ch->source) < 0) {
			struct strbuf sb = ref_endpoint_error(rep, ch, "source", ch->source,
							  "is not a partition of the plan");

			ref_put_partition_suggestion(p, ch->source, &sb);
		}
		for (unsigned int d = 0; d < ch->n_dest; d++) {
			if (plan_find_partition(p, ch->dest[d]) < 0) {
				struct strbuf sb = ref_endpoint_error(rep, ch, "destination", ch->dest[d],
								  "is not a partition of the plan");

				ref_put_partition_suggestion(p, ch->dest[d], &sb);
			} else if (!BH_LIBC(strcmp)(ch->dest[d], ch->source)) {
				(void)ref_endpoint_error(rep, ch, "destination", ch->dest[d], "is also the source");
			}
			for (unsigned int e = 0; e < d; e++)
				if (!BH_LIBC(strcmp)(ch->dest[d], ch->dest[e]))
					(void)ref_endpoint_error(rep, ch, "destination", ch->dest[d],
							     "is listed twice");
		}
		if (ch->kind == CHANNEL_QUEUING && ch->n_dest > 1) {
			struct strbuf sb = plan_error_add(rep, RULE_CHANNEL_ENDPOINT, ch->path);

			sb_puts(&sb, "a queuing channel has exactly one destination, this one has ");
			sb_u64(&sb, ch->n_dest);
		}
	}
}

/* ---- Random plans with many collisions ---- */

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A random valid plan, then shared names, overlapping fixed memory, shared devices,
 * windows anywhere and channel endpoints anywhere. */
static void collide(struct gen_plan *g, uint64_t seed)
{
	uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 7;

	gen_random(g, seed);
	for (int i = 0; i < g->n_part; i++) {
		struct gen_part *p = &g->part[i];

		if (g->n_part > 1 && rnd(&s) % 4 == 0) {
			char other[sizeof(p->name)];

			memcpy(other, g->part[rnd(&s) % g->n_part].name, sizeof(other));
			snprintf(p->node, sizeof(p->node), "%s@%d", other, i);
		}
		p->fixed = rnd(&s) % 2;
		p->base = 0x80000000ull + (rnd(&s) % 16) * 0x40000;
		if (rnd(&s) % 3)
			snprintf(p->dev, sizeof(p->dev), "/dev@%d", (int)(rnd(&s) % 4));
		else
			p->dev[0] = '\0';
	}
	for (int c = 0; c < g->n_cpu; c++) {
		for (int w = 0; w < g->n_win[c]; w++) {
			if (rnd(&s) % 3)
				continue;
			/* On a coarse grid: equal offsets are common (sort ties). */
			g->win[c][w].off = (uint32_t)(rnd(&s) % 8) * (g->frame / 8);
			g->win[c][w].dur = 1 + (uint32_t)(rnd(&s) % (g->frame / 2));
		}
	}
	for (int i = 0; i < g->n_chan; i++)
		if (rnd(&s) % 2)
			snprintf(g->chan[i].dst[0], sizeof(g->chan[i].dst[0]), "p%d",
				 (int)(rnd(&s) % (uint64_t)(g->n_part + 2)));
}

static bool compared_rule(enum plan_rule r)
{
	switch (r) {
	case RULE_DUPLICATE: case RULE_WINDOW_PARTITION: case RULE_WINDOW_OVERLAP:
	case RULE_WINDOW_FRAME: case RULE_WINDOW_CPU: case RULE_MEMORY_OVERLAP:
	case RULE_DEVICE_SHARED: case RULE_CHANNEL_ENDPOINT: case RULE_RANGE:
		return true;
	default:
		return false;
	}
}

#define LINE_MAX_BYTES (PLAN_PATH_MAX + PLAN_WHAT_MAX + 32)

/* The report's findings of the compared rules, formatted, in sorted order. */
static unsigned int findings(const struct plan_report *r, char out[][LINE_MAX_BYTES])
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < r->n; i++) {
		struct strbuf sb;

		if (!compared_rule(r->e[i].rule))
			continue;
		sb_init(&sb, out[n++], LINE_MAX_BYTES);
		plan_error_format(&r->e[i], &sb);
	}
	qsort(out, n, LINE_MAX_BYTES, (int (*)(const void *, const void *))strcmp);
	return n;
}

Test(plan_sorted, sorted_checks_find_what_the_pairwise_ones_found)
{
	static struct plan a, b;
	static struct plan_report ra, rb;
	static unsigned char blob[1 << 16];
	static char la[PLAN_MAX_ERRORS][LINE_MAX_BYTES], lb[PLAN_MAX_ERRORS][LINE_MAX_BYTES];
	unsigned int compared = 0, seen[RULE_COUNT] = { 0 };

	for (uint64_t seed = 1; seed <= 600; seed++) {
		struct gen_plan g;
		size_t size;
		unsigned int na, nb;

		collide(&g, seed);
		size = gen_write(&g, blob, sizeof(blob));
		plan_report_init(&ra);
		if (plan_parse(blob, size, &a, test_arena(), &ra) != PLAN_OK)
			continue;
		plan_report_init(&rb);
		cr_assert_eq(plan_parse(blob, size, &b, test_arena2(), &rb), PLAN_OK);
		if (plan_check(&a, NULL, 0, &ra) == PLAN_OK)
			cr_assert_eq(ra.n, 0);
		ref_check_names(&b, &rb);
		for (unsigned int c = 0; c < b.n_sched; c++) {
			ref_sort_windows(&b.sched[c]);
			(void)ref_check_cpu(&b, &b.sched[c], &rb);
		}
		ref_check_memory(&b, &rb);
		ref_check_devices(&b, &rb);
		ref_check_channels(&b, &rb);
		for (unsigned int c = 0; c < b.n_sched; c++)
			for (unsigned int w = 0; w < b.sched[c].n; w++)
				cr_assert_str_eq(a.sched[c].w[w].path, b.sched[c].w[w].path,
						 "seed %llu: window order", (unsigned long long)seed);
		if (ra.dropped || rb.dropped)
			continue;
		na = findings(&ra, la);
		nb = findings(&rb, lb);
		cr_assert_eq(na, nb, "seed %llu: %u findings, the pairwise checks %u",
			     (unsigned long long)seed, na, nb);
		for (unsigned int i = 0; i < na; i++)
			cr_assert_str_eq(la[i], lb[i], "seed %llu", (unsigned long long)seed);
		for (unsigned int i = 0; i < ra.n; i++)
			seen[ra.e[i].rule]++;
		compared++;
	}
	cr_assert_geq(compared, 400, "most random plans compared (%u)", compared);
	/* The collisions happen: every sorted check had findings to compare. */
	cr_assert_gt(seen[RULE_DUPLICATE], 50);
	cr_assert_gt(seen[RULE_MEMORY_OVERLAP], 50);
	cr_assert_gt(seen[RULE_DEVICE_SHARED], 50);
	cr_assert_gt(seen[RULE_WINDOW_OVERLAP], 50);
	cr_assert_gt(seen[RULE_CHANNEL_ENDPOINT], 20);
}
