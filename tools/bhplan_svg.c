/* bhplan svg: one major frame as a Gantt chart, one lane per CPU, one colour per partition,
 * then the channels as arrows from source to destination partitions. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "bhplan.h"

/* Layout in SVG user units. */
enum {
	LEFT = 90,        /* lane labels */
	WIDTH = 900,      /* the frame */
	RIGHT = 30,
	TOP = 56,         /* title */
	LANE = 54,
	LANE_GAP = 14,
	AXIS = 46,        /* time axis under the lanes */
	LEGEND_ROW = 22,
	CHAN_TITLE = 30,  /* "Channels" heading */
	CHAN_ROW = 24,    /* one row per (channel, destination) */
	CHAN_BOX = 130,   /* a partition's box in a channel row */
	CHAN_ARROW = 90,
};

/* Colour-blind-safe palette (Okabe-Ito), then darker variants. */
static const char *const palette[] = {
	"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
	"#005080", "#A07000", "#006E50", "#8E5574", "#3C7EA3", "#954100", "#A89F2F", "#555555",
};

/* Window label colour for each palette entry: dark on the light ones. */
static bool light(unsigned int i)
{
	return i == 4 || i == 6 || i == 14;
}

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

/* A round tick step giving about 10 ticks over the frame: 1, 2 or 5 times a power of 10. */
static uint64_t tick_step(uint64_t frame)
{
	uint64_t step = 1;

	for (;;) {
		static const uint64_t m[] = { 1, 2, 5 };

		for (unsigned int i = 0; i < 3; i++)
			if (frame / (step * m[i]) <= 10)
				return step * m[i];
		step *= 10;
	}
}

static double x_of(const struct plan *p, uint64_t t)
{
	return LEFT + (double)WIDTH * (double)t / (double)p->major_frame_us;
}

static void time_label(char *buf, size_t n, uint64_t us)
{
	if (us % 1000 == 0)
		snprintf(buf, n, "%" PRIu64 " ms", us / 1000);
	else
		snprintf(buf, n, "%" PRIu64 " us", us);
}

static void lane(FILE *f, const struct plan *p, const struct plan_cpu *c, int y)
{
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"lane\">CPU %u</text>\n", LEFT - 12,
		y + LANE / 2 + 5, c->cpu);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"idle\"/>\n", LEFT, y,
		WIDTH, LANE);
	for (unsigned int i = 0; i < c->n; i++) {
		const struct plan_window *w = &c->w[i];
		int part = plan_find_partition(p, w->partition);
		double x0 = x_of(p, w->offset_us), x1 = x_of(p, (uint64_t)w->offset_us + w->duration_us);
		char dur[24];

		time_label(dur, sizeof(dur), w->duration_us);
		fprintf(f, "<g><title>");
		xml_text(f, w->path);
		fprintf(f, ": %s, %u..%" PRIu64 " us</title>\n", w->partition, w->offset_us,
			(uint64_t)w->offset_us + w->duration_us);
		fprintf(f,
			"<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"3\" fill=\"%s\" "
			"class=\"win\"/>\n",
			x0, y, x1 - x0, LANE, palette[(unsigned int)part % (sizeof(palette) / sizeof(*palette))]);
		/* Labels only where they fit (about 7 units per character). */
		if (x1 - x0 > 7.0 * (double)strlen(w->partition) + 8) {
			const char *ink = light((unsigned int)part % (sizeof(palette) / sizeof(*palette)))
						  ? " style=\"fill:#222\""
						  : "";

			fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"wname\"%s>", (x0 + x1) / 2,
				y + LANE / 2 - 2, ink);
			xml_text(f, w->partition);
			fprintf(f, "</text>\n<text x=\"%.1f\" y=\"%d\" class=\"wdur\"%s>%s</text>\n",
				(x0 + x1) / 2, y + LANE / 2 + 14, ink, dur);
		}
		fprintf(f, "</g>\n");
	}
}

static const char *part_colour(const struct plan *p, const char *name)
{
	int i = plan_find_partition(p, name);

	return i < 0 ? "#999999" : palette[(unsigned int)i % (sizeof(palette) / sizeof(*palette))];
}

static void chan_box(FILE *f, const struct plan *p, const char *name, int x, int y)
{
	int i = plan_find_partition(p, name);
	bool pale = i >= 0 && light((unsigned int)i % (sizeof(palette) / sizeof(*palette)));

	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" rx=\"3\" fill=\"%s\" "
		   "class=\"cbox\"/>\n<text x=\"%d\" y=\"%d\" class=\"cname\"%s>",
		x, y, CHAN_BOX, part_colour(p, name), x + CHAN_BOX / 2, y + 13,
		pale ? " style=\"fill:#222\"" : "");
	xml_text(f, name);
	fprintf(f, "</text>\n");
}

/* One row per destination: the channel's name and kind, its source, an arrow, the destination. */
static void channels(FILE *f, const struct plan *p, int y)
{
	int row = 0;

	if (!p->n_chan)
		return;
	fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"sub\">Channels (source \u2192 destination)</text>\n",
		LEFT, y + 16);
	y += CHAN_TITLE;
	for (unsigned int i = 0; i < p->n_chan; i++) {
		const struct plan_channel *ch = &p->chan[i];

		for (unsigned int d = 0; d < ch->n_dest; d++, row++) {
			int ry = y + row * CHAN_ROW, xs = LEFT + 250, xd = xs + CHAN_BOX + CHAN_ARROW;

			fprintf(f, "<g><title>");
			xml_text(f, ch->path);
			fprintf(f, ": ");
			xml_text(f, ch->source);
			fprintf(f, " to ");
			xml_text(f, ch->dest[d]);
			fprintf(f, "</title>\n");
			if (d == 0) {
				fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"leg\">", LEFT, ry + 13);
				xml_text(f, ch->name);
				if (ch->kind == CHANNEL_SAMPLING)
					fprintf(f, " (sampling, %u B)</text>\n", ch->message_bytes);
				else
					fprintf(f, " (queuing, %u B, depth %u)</text>\n", ch->message_bytes,
						ch->depth);
			}
			chan_box(f, p, ch->source, xs, ry);
			fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"chan\" "
				   "marker-end=\"url(#arrow)\"/>\n",
				xs + CHAN_BOX + 4, ry + 9, xd - 8, ry + 9);
			chan_box(f, p, ch->dest[d], xd, ry);
			fprintf(f, "</g>\n");
		}
	}
}

static int channel_rows(const struct plan *p)
{
	int rows = 0;

	for (unsigned int i = 0; i < p->n_chan; i++)
		rows += (int)p->chan[i].n_dest;
	return rows;
}

int plan_svg(const char *path, const struct plan *p)
{
	FILE *f = fopen(path, "w");
	unsigned int lanes = p->n_sched;
	int lanes_h = (int)lanes * (LANE + LANE_GAP);
	int legend_y = TOP + lanes_h + AXIS;
	int chan_y = legend_y + (int)((p->n_part + 3) / 4) * LEGEND_ROW;
	int height = chan_y + (p->n_chan ? CHAN_TITLE + channel_rows(p) * CHAN_ROW : 0) + 16;
	uint64_t step = tick_step(p->major_frame_us);
	char label[24];

	if (!f) {
		perror(path);
		return -1;
	}
	fprintf(f,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
		"<style>\n"
		".title{font-size:16px;font-weight:bold;fill:#222}\n"
		".sub{font-size:12px;fill:#555}\n"
		".lane{font-size:13px;font-weight:bold;text-anchor:end;fill:#222}\n"
		".idle{fill:#f2f2f2;stroke:#ccc;stroke-width:1}\n"
		".win{stroke:#fff;stroke-width:1.5}\n"
		".wname{font-size:12px;font-weight:bold;text-anchor:middle;fill:#fff}\n"
		".wdur{font-size:10px;text-anchor:middle;fill:#fff}\n"
		".tick{stroke:#999;stroke-width:1}\n"
		".grid{stroke:#bbb;stroke-width:0.5;stroke-dasharray:2,3}\n"
		".tl{font-size:10px;text-anchor:middle;fill:#444}\n"
		".leg{font-size:12px;fill:#222}\n"
		".cbox{stroke:#fff;stroke-width:1}\n"
		".cname{font-size:11px;font-weight:bold;text-anchor:middle;fill:#fff}\n"
		".chan{stroke:#444;stroke-width:1.5}\n"
		"</style>\n"
		"<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
		"markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444\"/></marker>"
		"</defs>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
		LEFT + WIDTH + RIGHT, height, LEFT + WIDTH + RIGHT, height);
	time_label(label, sizeof(label), p->major_frame_us);
	fprintf(f,
		"<text x=\"%d\" y=\"24\" class=\"title\">Major frame: %s</text>\n"
		"<text x=\"%d\" y=\"42\" class=\"sub\">%u partitions on %u CPUs; grey is idle time</text>\n",
		LEFT, label, LEFT, p->n_part, lanes);

	for (uint64_t t = 0; t <= p->major_frame_us; t += step) {
		double x = x_of(p, t);

		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/>\n", x, TOP,
			x, TOP + lanes_h - LANE_GAP);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"tick\"/>\n", x,
			TOP + lanes_h - LANE_GAP, x, TOP + lanes_h - LANE_GAP + 6);
		time_label(label, sizeof(label), t);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"tl\">%s</text>\n", x,
			TOP + lanes_h - LANE_GAP + 20, label);
	}
	for (unsigned int i = 0; i < lanes; i++)
		lane(f, p, &p->sched[i], TOP + (int)i * (LANE + LANE_GAP));

	for (unsigned int i = 0; i < p->n_part; i++) {
		int x = LEFT + (int)(i % 4) * 220, y = legend_y + (int)(i / 4) * LEGEND_ROW;

		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" rx=\"2\" fill=\"%s\"/>\n",
			x, y, palette[i % (sizeof(palette) / sizeof(*palette))]);
		fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"leg\">", x + 20, y + 12);
		xml_text(f, p->part[i].name);
		fprintf(f, " (CPU %u, %.0f%%)</text>\n", p->part[i].cpu,
			100.0 * (double)plan_partition_supply_us(p, i) / (double)p->major_frame_us);
	}
	channels(f, p, chan_y);
	fprintf(f, "</svg>\n");
	if (fclose(f) != 0) {
		perror(path);
		return -1;
	}
	return 0;
}
