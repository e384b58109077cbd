/* core/sched: validating the plan's schedule and cells and building the per-CPU window
 * tables in the caller's memory (sched.h). */
#include "core/sched_priv.h"

/* A CPU's table holds its windows and at most one idle gap before each and one after. */
static size_t slots_for(const struct plan_cpu *pc)
{
	return 2 * (size_t)pc->n + 1;
}

size_t sched_mem_bytes(const struct plan *p)
{
	size_t slots = 0;

	for (unsigned int i = 0; i < p->n_sched; i++)
		slots += slots_for(&p->sched[i]);
	return p->n_sched * sizeof(struct sched_cpu) +
	       (size_t)p->n_part * PLAN_CELLS * sizeof(struct sched_cell) +
	       slots * sizeof(struct sched_slot) + (size_t)p->n_part * sizeof(struct sched_part) +
	       (size_t)p->n_part * sizeof(uint32_t);
}

/*
 * Partition indices sorted by name (heapsort: no recursion, n log n), so that each
 * window finds its partition by binary search: building stays n log n on big plans.
 */
static int name_cmp(const struct plan *p, uint32_t a, uint32_t b)
{
	return BH_LIBC(strcmp)(p->part[a].name, p->part[b].name);
}

static void sift_down(const struct plan *p, uint32_t *v, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && name_cmp(p, v[child], v[child + 1]) < 0)
			child++;
		if (name_cmp(p, v[root], v[child]) >= 0)
			return;
		uint32_t t = v[root];
		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

static void sort_by_name(const struct plan *p, uint32_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = (uint32_t)i;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(p, v, i, n);
	for (size_t end = n; end-- > 1;) {
		uint32_t t = v[0];
		v[0] = v[end];
		v[end] = t;
		sift_down(p, v, 0, end);
	}
}

/* Index of the partition called name, or -1. */
static int find_by_name(const struct plan *p, const uint32_t *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = BH_LIBC(strcmp)(p->part[v[mid]].name, name);

		if (c == 0)
			return (int)v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static enum sched_err check_cell(const struct plan_cell *pc)
{
	if (pc->priority < 1 || pc->priority > PLAN_MAX_PRIORITY)
		return SCHED_ERR_CELL;
	if (pc->periodic && (pc->period_us == 0 || pc->deadline_us == 0 ||
			     pc->deadline_us > pc->period_us || pc->wcet_us > pc->deadline_us))
		return SCHED_ERR_CELL;
	return SCHED_OK;
}

static void init_cell(struct sched_cell *c, const struct plan_cell *pc, uint64_t epoch_ns)
{
	*c = (struct sched_cell){ .priority = pc->priority, .periodic = pc->periodic };
	if (pc->periodic) {
		c->period_ns = pc->period_us * NS_PER_US;
		c->rel_deadline_ns = pc->deadline_us * NS_PER_US;
		c->next_release_ns = epoch_ns; /* first release at the epoch */
		c->state = CELL_WAIT_RELEASE;
	} else {
		c->state = CELL_READY;
	}
}

/* Windows of one CPU into slots, idle gaps explicit. The windows must be sorted. */
static enum sched_err build_slots(const struct plan *p, const uint32_t *by_name,
				  const struct plan_cpu *pc, uint64_t frame_ns, struct sched_slot *out,
				  unsigned int *n_out)
{
	uint64_t prev = 0;
	unsigned int n = 0;

	for (unsigned int w = 0; w < pc->n; w++) {
		const struct plan_window *pw = &pc->w[w];
		uint64_t start = pw->offset_us * NS_PER_US;
		uint64_t end = start + pw->duration_us * NS_PER_US;
		int part = find_by_name(p, by_name, p->n_part, pw->partition);

		if (pw->duration_us == 0 || start < prev || end > frame_ns)
			return SCHED_ERR_WINDOW;
		if (part < 0 || p->part[part].cpu != pc->cpu)
			return SCHED_ERR_PARTITION;
		if (start > prev)
			out[n++] = (struct sched_slot){ .start_ns = prev, .end_ns = start, .part = SCHED_IDLE };
		out[n++] = (struct sched_slot){ .start_ns = start, .end_ns = end, .part = part };
		prev = end;
	}
	if (prev < frame_ns)
		out[n++] = (struct sched_slot){ .start_ns = prev, .end_ns = frame_ns, .part = SCHED_IDLE };
	for (unsigned int i = 0; i < n; i++) { /* the links a fast path follows */
		out[i].next = i + 1 < n ? &out[i + 1] : &out[0];
		out[i].advance_ns = i + 1 < n ? 0 : frame_ns;
	}
	*n_out = n;
	return SCHED_OK;
}

enum sched_err sched_build(struct sched *s, const struct plan *p, uint64_t epoch_ns, void *mem,
			   size_t bytes)
{
	enum sched_err e;

	if (!mem || bytes < sched_mem_bytes(p) || !IS_ALIGNED((uintptr_t)mem, 16))
		return SCHED_ERR_MEMORY;
	if (p->major_frame_us == 0)
		return SCHED_ERR_FRAME;
	for (unsigned int i = 0; i < p->n_sched; i++)
		for (unsigned int j = 0; j < i; j++) /* CPUs: at most PLAN_MAX_CPUS */
			if (p->sched[i].cpu == p->sched[j].cpu)
				return SCHED_ERR_CPU;
	for (unsigned int i = 0; i < p->n_part; i++)
		for (unsigned int k = 0; k < PLAN_CELLS; k++)
			if ((e = check_cell(&p->part[i].cell[k])) != SCHED_OK)
				return e;

	*s = (struct sched){ .epoch_ns = epoch_ns,
			     .frame_ns = p->major_frame_us * NS_PER_US,
			     .n_cpu = p->n_sched,
			     .n_part = p->n_part };
	s->cpu = mem;
	s->cell = (struct sched_cell *)(s->cpu + p->n_sched);
	s->part = (struct sched_part *)(s->cell + (size_t)p->n_part * PLAN_CELLS);
	struct sched_slot *slot = (struct sched_slot *)(s->part + p->n_part);
	size_t n_slots = 0;

	for (unsigned int i = 0; i < p->n_sched; i++)
		n_slots += slots_for(&p->sched[i]);
	uint32_t *by_name = (uint32_t *)(slot + n_slots);

	sort_by_name(p, by_name, p->n_part);
	for (unsigned int i = 1; i < p->n_part; i++)
		if (name_cmp(p, by_name[i - 1], by_name[i]) == 0)
			return SCHED_ERR_NAME;

	for (unsigned int i = 0; i < p->n_part; i++) {
		for (unsigned int k = 0; k < PLAN_CELLS; k++)
			init_cell(&s->cell[i * PLAN_CELLS + k], &p->part[i].cell[k], epoch_ns);
		s->part[i] = (struct sched_part){ .due_ns = 0, .cell = SCHED_IDLE };
	}
	for (unsigned int i = 0; i < p->n_sched; i++) {
		struct sched_cpu *c = &s->cpu[i];
		unsigned int n;

		e = build_slots(p, by_name, &p->sched[i], s->frame_ns, slot, &n);
		if (e != SCHED_OK)
			return e;
		*c = (struct sched_cpu){ .s = s, .cpu = p->sched[i].cpu, .slot = slot, .n_slot = n,
					 .part = SCHED_IDLE, .cell = SCHED_IDLE, .idle = true,
					 .last_now = epoch_ns };
		slot += n;
	}
	return SCHED_OK;
}

struct sched_cpu *sched_cpu(struct sched *s, uint32_t cpu)
{
	for (unsigned int i = 0; i < s->n_cpu; i++)
		if (s->cpu[i].cpu == cpu)
			return &s->cpu[i];
	return NULL;
}

const struct sched_slot *sched_slots(const struct sched_cpu *c, unsigned int *n)
{
	*n = c->n_slot;
	return c->slot;
}

