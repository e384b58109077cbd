#include <criterion/criterion.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include "plan_gen.h"

/* xorshift64*: small, seedable, the same on every machine. */
static uint64_t next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static uint32_t below(uint64_t *s, uint32_t n)
{
	return n ? (uint32_t)(next(s) % n) : 0;
}

static uint64_t supply(const struct gen_plan *g, const struct gen_part *p)
{
	uint64_t s = 0;

	for (int w = 0; w < g->n_win[p->cpu]; w++)
		if (!strcmp(g->win[p->cpu][w].part, p->name))
			s += g->win[p->cpu][w].dur;
	return s;
}

/* A periodic cell that fits: period k frames, wcet at most a quarter of k frames' supply,
 * so utilisation stays under a quarter of the share and sbf(period) = k * supply. */
static struct gen_cell cell(uint64_t *s, const struct gen_plan *g, uint64_t sup, bool periodic)
{
	struct gen_cell c = { .periodic = periodic, .priority = 1 + below(s, 255) };
	uint32_t k = 1 + below(s, 3);

	if (periodic) {
		c.period = c.deadline = k * g->frame;
		c.wcet = 1 + below(s, (uint32_t)(k * sup / 4));
	}
	return c;
}

/* A health-monitor policy the validator accepts: each class written (or left to its
 * default) with an action it allows; a budget when something restarts, its window
 * long enough; sometimes a persistent region that fits beside the stacks. */
static void gen_hm(uint64_t *s, const struct gen_plan *g, struct gen_part *p)
{
	bool restarts = false;

	for (int h = 0; h < HM_CLASSES; h++) {
		if (below(s, 4) == 0)
			continue;
		do
			p->hm_action[h] = below(s, HM_ACTIONS);
		while (!plan_hm_action_allowed(h, p->hm_action[h]));
		p->hm_given |= 1u << h;
		restarts |= plan_hm_action_restarts(p->hm_action[h]);
	}
	if (restarts || below(s, 4) == 0)
		p->restart_limit = 1 + below(s, 10);
	if (p->restart_limit && below(s, 2))
		p->restart_window = ((uint64_t)p->restart_limit + 1) * g->frame + below(s, 1000000);
	/* Stacks are two pages; a page of program and the info page. */
	if (p->mem >= 5 * 4096 && below(s, 3) == 0)
		p->persistent = 4096ull * (1 + below(s, (uint32_t)(p->mem / 4096 - 4)));
}

void gen_random(struct gen_plan *g, uint64_t seed)
{
	uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;

	memset(g, 0, sizeof(*g));
	g->version = PLAN_VERSION;
	g->frame = 1000u * (1 + below(&s, 50));
	g->n_cpu = 1 + (int)below(&s, GEN_CPUS);
	for (int c = 0; c < g->n_cpu; c++) {
		int k = 1 + (int)below(&s, 2), first = g->n_part;
		int m = k + (int)below(&s, 3);
		uint32_t slot = g->frame / (uint32_t)m;

		for (int i = 0; i < k; i++, g->n_part++) {
			struct gen_part *p = &g->part[g->n_part];

			snprintf(p->name, sizeof(p->name), "p%d", g->n_part);
			memcpy(p->node, p->name, sizeof(p->name));
			p->cpu = (uint32_t)c;
			p->mem = 4096ull * (1 + below(&s, 256));
			p->fixed = below(&s, 3) == 0;
			p->base = 0x80000000ull + (uint64_t)g->n_part * 0x1000000;
			if (below(&s, 2))
				snprintf(p->dev, sizeof(p->dev), "/dev@%d", g->n_part);
		}
		for (int w = 0; w < m; w++) {
			struct gen_window *win = &g->win[c][w];
			uint32_t gap = below(&s, slot / 4 + 1);

			snprintf(win->part, sizeof(win->part), "p%d", first + w % k);
			win->off = (uint32_t)w * slot + gap;
			win->dur = 1 + below(&s, slot - gap);
		}
		g->n_win[c] = m;
	}
	for (int i = 0; i < g->n_part; i++) {
		struct gen_part *p = &g->part[i];
		uint64_t sup = supply(g, p);

		p->cell[0] = cell(&s, g, sup, below(&s, 3) != 0);
		p->cell[1] = cell(&s, g, sup, true);
		gen_hm(&s, g, p);
	}
	for (int i = 0; g->n_part >= 2 && i < (int)below(&s, GEN_CHANS + 1); i++, g->n_chan++) {
		struct gen_chan *ch = &g->chan[i];
		int src = (int)below(&s, (uint32_t)g->n_part);

		snprintf(ch->name, sizeof(ch->name), "ch%d", i);
		ch->queuing = below(&s, 2);
		snprintf(ch->src, sizeof(ch->src), "p%d", src);
		int want = ch->queuing ? 1 : 1 + (int)below(&s, 3);

		for (int d = 1; d < g->n_part && ch->n_dst < want; d++)
			snprintf(ch->dst[ch->n_dst++], sizeof(ch->dst[0]), "p%d", (src + d) % g->n_part);
		ch->msg = 1 + below(&s, PLAN_MAX_MESSAGE_BYTES);
		ch->depth = 1 + below(&s, PLAN_MAX_DEPTH);
		ch->refresh = 1 + below(&s, 100000);
	}
}

#define OK(x) cr_assert_eq((x), 0, "libfdt: %s", #x)

static void write_cell(void *fdt, const char *name, const struct gen_cell *c)
{
	OK(fdt_begin_node(fdt, name));
	OK(fdt_property_string(fdt, "entry", "main"));
	OK(fdt_property_u32(fdt, "priority", c->priority));
	OK(fdt_property_u32(fdt, "stack-bytes", 0x1000));
	if (c->periodic) {
		OK(fdt_property_u32(fdt, "period-us", c->period));
		OK(fdt_property_u32(fdt, "deadline-us", c->deadline));
		OK(fdt_property_u32(fdt, "wcet-us", c->wcet));
	}
	OK(fdt_end_node(fdt));
}

static void write_part(void *fdt, const struct gen_part *p)
{
	OK(fdt_begin_node(fdt, p->node));
	OK(fdt_property_u32(fdt, "cpu", p->cpu));
	OK(fdt_property_u64(fdt, "memory-bytes", p->mem));
	if (p->fixed)
		OK(fdt_property_u64(fdt, "memory-base", p->base));
	OK(fdt_property_string(fdt, "image", "demo"));
	if (p->dev[0])
		OK(fdt_property_string(fdt, "devices", p->dev));
	OK(fdt_property_u32(fdt, "heartbeat-timeout-us", 10000));
	if (p->persistent)
		OK(fdt_property_u64(fdt, "persistent-bytes", p->persistent));
	write_cell(fdt, "driver", &p->cell[0]);
	write_cell(fdt, "watchdog", &p->cell[1]);
	OK(fdt_begin_node(fdt, "health-monitor"));
	for (int h = 0; h < HM_CLASSES; h++)
		if (p->hm_given & (1u << h))
			OK(fdt_property_string(fdt, h == HM_RESTART_LIMIT ? "on-limit" : plan_hm_class_name(h),
					       plan_hm_action_name(p->hm_action[h])));
	if (p->restart_limit)
		OK(fdt_property_u32(fdt, "restart-limit", p->restart_limit));
	if (p->restart_window)
		OK(fdt_property_u64(fdt, "restart-window-us", p->restart_window));
	OK(fdt_end_node(fdt));
	OK(fdt_end_node(fdt));
}

static void write_chan(void *fdt, const struct gen_chan *ch)
{
	char list[64];
	int n = 0;

	OK(fdt_begin_node(fdt, ch->name));
	OK(fdt_property_string(fdt, "kind", ch->queuing ? "queuing" : "sampling"));
	OK(fdt_property_string(fdt, "source", ch->src));
	for (int d = 0; d < ch->n_dst; d++)
		n += snprintf(list + n, sizeof(list) - (size_t)n, "%s", ch->dst[d]) + 1;
	OK(fdt_property(fdt, "destinations", list, n));
	OK(fdt_property_u32(fdt, "message-bytes", ch->msg));
	if (ch->queuing)
		OK(fdt_property_u32(fdt, "depth", ch->depth));
	else
		OK(fdt_property_u32(fdt, "refresh-us", ch->refresh));
	OK(fdt_end_node(fdt));
}

size_t gen_write(const struct gen_plan *g, void *buf, size_t cap)
{
	char name[24];

	OK(fdt_create(buf, (int)cap));
	OK(fdt_finish_reservemap(buf));
	OK(fdt_begin_node(buf, ""));
	OK(fdt_property_string(buf, "compatible", PLAN_COMPATIBLE));
	OK(fdt_property_u32(buf, "plan-version", g->version));
	OK(fdt_begin_node(buf, "partitions"));
	for (int i = 0; i < g->n_part; i++)
		write_part(buf, &g->part[i]);
	OK(fdt_end_node(buf));
	OK(fdt_begin_node(buf, "schedule"));
	OK(fdt_property_u32(buf, "major-frame-us", g->frame));
	for (int c = 0; c < g->n_cpu; c++) {
		snprintf(name, sizeof(name), "cpu@%d", c);
		OK(fdt_begin_node(buf, name));
		OK(fdt_property_u32(buf, "reg", (uint32_t)c));
		for (int w = 0; w < g->n_win[c]; w++) {
			snprintf(name, sizeof(name), "window@%d", w);
			OK(fdt_begin_node(buf, name));
			OK(fdt_property_u32(buf, "reg", (uint32_t)w));
			OK(fdt_property_string(buf, "partition", g->win[c][w].part));
			OK(fdt_property_u32(buf, "offset-us", g->win[c][w].off));
			OK(fdt_property_u32(buf, "duration-us", g->win[c][w].dur));
			OK(fdt_end_node(buf));
		}
		OK(fdt_end_node(buf));
	}
	OK(fdt_end_node(buf));
	if (g->n_chan) {
		OK(fdt_begin_node(buf, "channels"));
		for (int i = 0; i < g->n_chan; i++)
			write_chan(buf, &g->chan[i]);
		OK(fdt_end_node(buf));
	}
	OK(fdt_end_node(buf));
	OK(fdt_finish(buf));
	return fdt_totalsize(buf);
}

/* A partition whose windows give less than the whole frame, or -1. */
static int part_not_full(const struct gen_plan *g)
{
	for (int i = 0; i < g->n_part; i++)
		if (supply(g, &g->part[i]) < g->frame)
			return i;
	return -1;
}

bool gen_mutate(struct gen_plan *g, enum gen_mutation m, uint64_t seed, enum plan_rule *rule)
{
	uint64_t s = seed | 1;
	int c = (int)below(&s, (uint32_t)g->n_cpu), p = (int)below(&s, (uint32_t)g->n_part), q;
	struct gen_window *last = &g->win[c][g->n_win[c] - 1];

	switch (m) {
	case MUT_VERSION:
		g->version = 2 + below(&s, 100);
		*rule = RULE_VERSION;
		return true;
	case MUT_RANGE:
		g->part[p].cell[0].priority = 256 + below(&s, 1000);
		*rule = RULE_RANGE;
		return true;
	case MUT_WINDOW_OVERLAP:
		if (g->n_win[c] < 2)
			return false;
		g->win[c][1].off = g->win[c][0].off + below(&s, g->win[c][0].dur);
		*rule = RULE_WINDOW_OVERLAP;
		return true;
	case MUT_WINDOW_FRAME:
		last->dur = g->frame - last->off + 1 + below(&s, 1000);
		*rule = RULE_WINDOW_FRAME;
		return true;
	case MUT_WINDOW_PARTITION:
		snprintf(last->part, sizeof(last->part), "zz-nobody");
		*rule = RULE_WINDOW_PARTITION;
		return true;
	case MUT_WINDOW_CPU:
		for (q = 0; q < g->n_part && g->part[q].cpu == (uint32_t)c; q++)
			;
		if (q == g->n_part)
			return false;
		memcpy(last->part, g->part[q].name, sizeof(last->part));
		*rule = RULE_WINDOW_CPU;
		return true;
	case MUT_DUPLICATE:
		if (g->n_part < 2)
			return false;
		q = (p + 1) % g->n_part;
		{
			char base[sizeof(g->part[p].name)];

			memcpy(base, g->part[p].name, sizeof(base));
			snprintf(g->part[q].node, sizeof(g->part[q].node), "%s@%u", base, (unsigned int)q % 100);
		}
		*rule = RULE_DUPLICATE;
		return true;
	case MUT_MEMORY_OVERLAP:
		if (g->n_part < 2)
			return false;
		q = (p + 1) % g->n_part;
		g->part[p].fixed = g->part[q].fixed = true;
		g->part[q].base = g->part[p].base + 4096 * below(&s, (uint32_t)(g->part[p].mem / 4096));
		*rule = RULE_MEMORY_OVERLAP;
		return true;
	case MUT_DEVICE_SHARED:
		if (g->n_part < 2)
			return false;
		q = (p + 1) % g->n_part;
		snprintf(g->part[p].dev, sizeof(g->part[p].dev), "/shared@0");
		snprintf(g->part[q].dev, sizeof(g->part[q].dev), "/shared@0");
		*rule = RULE_DEVICE_SHARED;
		return true;
	case MUT_CELL_TIMING:
		g->part[p].cell[1].wcet = g->part[p].cell[1].deadline + 1 + below(&s, 1000);
		*rule = RULE_CELL_TIMING;
		return true;
	case MUT_UTILISATION:
		p = part_not_full(g);
		if (p < 0)
			return false;
		g->part[p].cell[0] = (struct gen_cell){ true, g->frame, g->frame,
							(uint32_t)supply(g, &g->part[p]) + 1, 1 };
		*rule = RULE_CELL_UTILISATION;
		return true;
	case MUT_CHANNEL_ENDPOINT:
		if (!g->n_chan)
			return false;
		snprintf(g->chan[0].dst[0], sizeof(g->chan[0].dst[0]), "zz-nobody");
		*rule = RULE_CHANNEL_ENDPOINT;
		return true;
	case MUT_CHANNEL_SIZE:
		if (!g->n_chan)
			return false;
		g->chan[0].msg = below(&s, 2) ? 0 : PLAN_MAX_MESSAGE_BYTES + 1 + below(&s, 10000);
		*rule = RULE_CHANNEL_SIZE;
		return true;
	case MUT_HM_ACTION: {
		/* Each class's forbidden action: ignore a fault, restart-cell a heartbeat miss,
		 * restart or ignore on-limit. */
		static const uint32_t bad[][2] = {
			{ HM_MEMORY_VIOLATION, HM_ACT_IGNORE }, { HM_ILLEGAL_INSTRUCTION, HM_ACT_IGNORE },
			{ HM_FAULT, HM_ACT_IGNORE }, { HM_HEARTBEAT_MISS, HM_ACT_RESTART_CELL },
			{ HM_RESTART_LIMIT, HM_ACT_WARM_RESTART }, { HM_RESTART_LIMIT, HM_ACT_IGNORE },
		};
		const uint32_t *b = bad[below(&s, ARRAY_SIZE(bad))];

		g->part[p].hm_action[b[0]] = b[1];
		g->part[p].hm_given |= 1u << b[0];
		g->part[p].restart_limit = 1 + below(&s, 10);
		g->part[p].restart_window = 0;
		*rule = RULE_HM_ACTION;
		return true;
	}
	case MUT_HM_RESTART_LIMIT:
		g->part[p].hm_action[HM_DEADLINE_MISS] = HM_ACT_WARM_RESTART + below(&s, 2);
		g->part[p].hm_given |= 1u << HM_DEADLINE_MISS;
		g->part[p].restart_limit = 0;
		g->part[p].restart_window = 0;
		*rule = RULE_HM_RESTART_LIMIT;
		return true;
	case MUT_HM_RESTART_WINDOW:
		g->part[p].restart_limit = 1 + below(&s, 10);
		g->part[p].restart_window = 1 + below(&s, (g->part[p].restart_limit + 1) * g->frame - 1);
		*rule = RULE_HM_RESTART_WINDOW;
		return true;
	case MUT_PERSISTENT_MEMORY:
		/* Two one-page stacks and two more pages do not fit beside it. */
		q = (int)below(&s, 4);
		if (g->part[p].mem <= 4096ull * (uint64_t)q)
			return false;
		g->part[p].persistent = g->part[p].mem - 4096ull * (uint64_t)q;
		*rule = RULE_PERSISTENT_MEMORY;
		return true;
	case MUT_COUNT:
		break;
	}
	return false;
}
