/* bhplan show: a checked plan as tables for people. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bhplan.h"

static double pct(uint64_t num, uint64_t den)
{
	return den ? 100.0 * (double)num / (double)den : 0.0;
}

/* Sum of wcet/period of the partition's periodic cells, as a fraction of the CPU. */
static double demand(const struct plan_partition *pp)
{
	double d = 0;

	for (unsigned int k = 0; k < PLAN_CELLS; k++)
		if (pp->cell[k].periodic)
			d += (double)pp->cell[k].wcet_us / (double)pp->cell[k].period_us;
	return 100.0 * d;
}

static void size_str(char *buf, size_t n, uint64_t bytes)
{
	if (bytes % (1u << 20) == 0)
		snprintf(buf, n, "%" PRIu64 " MiB", bytes >> 20);
	else if (bytes % 1024 == 0)
		snprintf(buf, n, "%" PRIu64 " KiB", bytes >> 10);
	else
		snprintf(buf, n, "%" PRIu64 " B", bytes);
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

/* Columns as wide as their widest entry: a fixed base or a long name never shifts a row. */
static void show_partitions(FILE *f, const struct plan *p, const struct plan_memory_map *map)
{
	char (*where)[48] = calloc(p->n_part + 1, sizeof(*where)); /* sized by the plan */

	if (!where)
		return;
	int wn = (int)strlen("name"), ww = (int)strlen("placed at"), wi = (int)strlen("image");

	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct plan_partition *pp = &p->part[i];

		if (map && map->part[i].size)
			snprintf(where[i], sizeof(where[i]), "0x%" PRIx64 "-0x%" PRIx64 "%s",
				 pa_addr(map->part[i].base), pa_range_end(&map->part[i]) - 1,
				 pp->has_base ? " fixed" : "");
		else if (pp->has_base)
			snprintf(where[i], sizeof(where[i]), "0x%" PRIx64 " fixed", pp->memory_base);
		else
			snprintf(where[i], sizeof(where[i]), "(at boot)");
		wn = max_int(wn, (int)strlen(pp->name));
		ww = max_int(ww, (int)strlen(where[i]));
		wi = max_int(wi, (int)strlen(pp->image));
	}
	fprintf(f, "partitions\n  %-*s %3s %9s  %-*s  %-*s %7s %7s  %s\n", wn, "name", "cpu", "memory",
		ww, "placed at", wi, "image", "share", "demand", "devices");
	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct plan_partition *pp = &p->part[i];
		char size[24];

		size_str(size, sizeof(size), pp->memory_bytes);
		fprintf(f, "  %-*s %3u %9s  %-*s  %-*s %6.1f%% %6.1f%%  ", wn, pp->name, pp->cpu, size,
			ww, where[i], wi, pp->image,
			pct(plan_partition_supply_us(p, i), p->major_frame_us), demand(pp));
		for (unsigned int d = 0; d < pp->n_devices; d++)
			fprintf(f, "%s%s", d ? ", " : "", pp->devices[d]);
		fprintf(f, "%s\n", pp->n_devices ? "" : "-");
	}
	free(where);
}

static void show_cells(FILE *f, const struct plan *p)
{
	int wn = (int)strlen("partition"), we = (int)strlen("entry");

	for (unsigned int i = 0; i < p->n_part; i++) {
		wn = max_int(wn, (int)strlen(p->part[i].name));
		for (unsigned int k = 0; k < PLAN_CELLS; k++)
			we = max_int(we, (int)strlen(p->part[i].cell[k].entry));
	}
	fprintf(f, "\ncells\n  %-*s %-9s %-*s %4s %8s %9s %11s %8s\n", wn, "partition", "cell", we,
		"entry", "prio", "stack", "period", "deadline", "wcet");
	for (unsigned int i = 0; i < p->n_part; i++) {
		for (unsigned int k = 0; k < PLAN_CELLS; k++) {
			const struct plan_cell *c = &p->part[i].cell[k];
			char per[16] = "-", dl[16] = "-", wc[16] = "-";

			if (c->periodic) {
				snprintf(per, sizeof(per), "%u us", c->period_us);
				snprintf(dl, sizeof(dl), "%u us", c->deadline_us);
				snprintf(wc, sizeof(wc), "%u us", c->wcet_us);
			}
			fprintf(f, "  %-*s %-9s %-*s %4u %8u %9s %11s %8s\n", wn, k ? "" : p->part[i].name,
				plan_cell_name(k), we, c->entry, c->priority, c->stack_bytes, per, dl, wc);
		}
	}
}

/* Each partition's args, as its program reads them; nothing when no partition has any. */
static void show_args(FILE *f, const struct plan *p)
{
	bool any = false;

	for (unsigned int i = 0; i < p->n_part; i++)
		any |= p->part[i].n_args > 0;
	if (!any)
		return;
	fprintf(f, "\nargs\n");
	for (unsigned int i = 0; i < p->n_part; i++) {
		const struct plan_partition *pp = &p->part[i];
		const char *s = pp->args;

		if (!pp->n_args)
			continue;
		fprintf(f, "  %-12s", pp->name);
		for (unsigned int k = 0; k < pp->n_args; k++, s += strlen(s) + 1)
			fprintf(f, " \"%s\"", s);
		fprintf(f, "\n");
	}
}

static void show_schedule(FILE *f, const struct plan *p)
{
	int wn = 0;

	for (unsigned int i = 0; i < p->n_part; i++)
		wn = max_int(wn, (int)strlen(p->part[i].name));
	fprintf(f, "\nschedule: major frame %u us\n", p->major_frame_us);
	for (unsigned int i = 0; i < p->n_sched; i++) {
		const struct plan_cpu *c = &p->sched[i];
		uint64_t t = 0, busy = 0;

		fprintf(f, "  CPU %u\n", c->cpu);
		for (unsigned int w = 0; w <= c->n; w++) {
			uint64_t start = w < c->n ? c->w[w].offset_us : p->major_frame_us;

			if (start > t)
				fprintf(f, "    %8" PRIu64 " .. %8" PRIu64 " us  (idle)\n", t, start);
			if (w == c->n)
				break;
			t = (uint64_t)c->w[w].offset_us + c->w[w].duration_us;
			busy += c->w[w].duration_us;
			fprintf(f, "    %8u .. %8" PRIu64 " us  %-*s %s\n", c->w[w].offset_us, t,
				wn, c->w[w].partition, strrchr(c->w[w].path, '/') + 1);
		}
		fprintf(f, "    assigned %.1f%%, idle %.1f%%\n", pct(busy, p->major_frame_us),
			100.0 - pct(busy, p->major_frame_us));
	}
}

static void show_channels(FILE *f, const struct plan *p)
{
	if (!p->n_chan)
		return;
	char (*dests)[PLAN_MAX_DESTS * (PLAN_NAME_MAX + 2)] = calloc(p->n_chan, sizeof(*dests));

	if (!dests)
		return;
	int wn = (int)strlen("name"), ws = (int)strlen("source"), wd = (int)strlen("destinations");

	for (unsigned int i = 0; i < p->n_chan; i++) {
		const struct plan_channel *ch = &p->chan[i];
		size_t n = 0;

		dests[i][0] = '\0';
		for (unsigned int d = 0; d < ch->n_dest && n < sizeof(dests[i]); d++)
			n += (size_t)snprintf(dests[i] + n, sizeof(dests[i]) - n, "%s%s", d ? ", " : "",
					      ch->dest[d]);
		wn = max_int(wn, (int)strlen(ch->name));
		ws = max_int(ws, (int)strlen(ch->source));
		wd = max_int(wd, (int)strlen(dests[i]));
	}
	fprintf(f, "\nchannels\n  %-*s %-9s %-*s %-*s %8s  %s\n", wn, "name", "kind", ws, "source", wd,
		"destinations", "message", "depth/refresh");
	for (unsigned int i = 0; i < p->n_chan; i++) {
		const struct plan_channel *ch = &p->chan[i];

		fprintf(f, "  %-*s %-9s %-*s %-*s %6u B  ", wn, ch->name,
			ch->kind == CHANNEL_SAMPLING ? "sampling" : "queuing", ws, ch->source, wd,
			dests[i], ch->message_bytes);
		if (ch->kind == CHANNEL_SAMPLING)
			fprintf(f, "refresh %u us\n", ch->refresh_us);
		else
			fprintf(f, "depth %u\n", ch->depth);
	}
	free(dests);
}

void plan_show(FILE *f, const struct plan *p, const struct plan_memory_map *map,
	       const char *sha256)
{
	fprintf(f, "plan version %u: %u partition%s, %u CPU%s scheduled, %u channel%s, major frame %u us\n",
		p->version, p->n_part, p->n_part == 1 ? "" : "s", p->n_sched, p->n_sched == 1 ? "" : "s",
		p->n_chan, p->n_chan == 1 ? "" : "s", p->major_frame_us);
	fprintf(f, "sha256 %s (the kernel logs the same in its plan event)\n", sha256);
	struct plan_counts k = { p->n_part, p->n_chan, 0, 0 };

	for (unsigned int c = 0; c < p->n_sched; c++) {
		k.windows += p->sched[c].n;
		if (p->sched[c].n > k.most_windows)
			k.most_windows = p->sched[c].n;
	}
	fprintf(f, "tables %zu bytes (the kernel takes them from free RAM at boot)\n\n",
		plan_tables_bytes(&k));
	show_partitions(f, p, map);
	show_cells(f, p);
	show_args(f, p);
	plan_show_hm(f, p);
	show_schedule(f, p);
	show_channels(f, p);
}
