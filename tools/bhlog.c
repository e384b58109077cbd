/*
 * bhlog: Bulkhead's JSON log lines as aligned, readable text.
 *
 *   bhlog [--color=auto|always|never] [--raw] [--fail-on-stop] < console
 *
 * Each JSON line becomes "   0.012345  cpu0  INFO   boot   platform  key=value ...";
 * anything else (firmware, Xen, QEMU) passes through unchanged. --raw copies input.
 * --fail-on-stop: exit 1 if the kernel's fatal "stop" line went by (make run's status).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "jsonl.h"

static const char *level_colour(const char *lvl)
{
	if (!strcmp(lvl, "error"))
		return "\033[1;31m";
	if (!strcmp(lvl, "warn"))
		return "\033[1;33m";
	if (!strcmp(lvl, "info"))
		return "\033[32m";
	return "\033[2m";
}

static bool is_header(const char *key)
{
	static const char *const keys[] = { "ts", "lvl", "cpu", "sub", "ev" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

/* A partition's print: its text as that partition's output, "partition/cell| text". */
static void pretty_print(const struct jobj *o, bool colour, unsigned long long ts, const char *lvl)
{
	char who[64];

	snprintf(who, sizeof(who), "%s/%s", jobj_str(o, "partition"), jobj_str(o, "cell"));
	printf("%5llu.%06llu  cpu%-2s %s%-5s%s  %s%-25s|%s %s\n", ts / 1000000000ULL,
	       (ts / 1000ULL) % 1000000ULL, jobj_str(o, "cpu"),
	       colour ? level_colour(jobj_str(o, "lvl")) : "", lvl, colour ? "\033[0m" : "",
	       colour ? "\033[32m" : "", who, colour ? "\033[0m" : "", jobj_str(o, "text"));
}

static void pretty(const struct jobj *o, bool colour)
{
	unsigned long long ts = (unsigned long long)jobj_u64(o, "ts", 0);
	char lvl[8];
	size_t i;

	const char *l = jobj_str(o, "lvl");

	for (i = 0; i < sizeof(lvl) - 1 && l[i]; i++)
		lvl[i] = (char)toupper((unsigned char)l[i]);
	lvl[i] = '\0';
	if (!strcmp(jobj_str(o, "ev"), "print") && !strcmp(jobj_str(o, "sub"), "part")) {
		pretty_print(o, colour, ts, lvl);
		return;
	}
	printf("%5llu.%06llu  cpu%-2s %s%-5s%s  %-6s %s%-18s%s", ts / 1000000000ULL,
	       (ts / 1000ULL) % 1000000ULL, jobj_str(o, "cpu"),
	       colour ? level_colour(jobj_str(o, "lvl")) : "", lvl, colour ? "\033[0m" : "",
	       jobj_str(o, "sub"), colour ? "\033[1m" : "", jobj_str(o, "ev"),
	       colour ? "\033[0m" : "");
	for (int k = 0; k < o->n; k++) {
		if (is_header(o->f[k].key))
			continue;
		printf(" %s%s=%s", colour ? "\033[36m" : "", o->f[k].key, colour ? "\033[0m" : "");
		printf(o->f[k].type == J_STR && strchr(o->f[k].text, ' ') ? "\"%s\"" : "%s",
		       o->f[k].text);
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	int colour = -1; /* auto */
	bool raw = false, fail_on_stop = false, stopped = false;
	char line[4096];
	struct jobj o;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--raw"))
			raw = true;
		else if (!strcmp(argv[i], "--fail-on-stop"))
			fail_on_stop = true;
		else if (!strcmp(argv[i], "--color=always"))
			colour = 1;
		else if (!strcmp(argv[i], "--color=never"))
			colour = 0;
		else if (!strcmp(argv[i], "--color=auto"))
			colour = -1;
		else {
			fprintf(stderr, "usage: bhlog [--color=auto|always|never] [--raw] [--fail-on-stop] "
					"< console\n");
			return strcmp(argv[i], "--help") ? 2 : 0;
		}
	}
	if (colour < 0)
		colour = isatty(STDOUT_FILENO);
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		bool event = jsonl_parse(line, &o) && jobj_get(&o, "ev");

		if (event && !strcmp(jobj_str(&o, "ev"), "stop") && !strcmp(jobj_str(&o, "lvl"), "error"))
			stopped = true;
		if (!raw && event) {
			pretty(&o, colour);
		} else {
			line[strcspn(line, "\r\n")] = '\0'; /* the console sends \r\n */
			puts(line);
		}
	}
	if (fail_on_stop && stopped) {
		fprintf(stderr, "bhlog: the kernel stopped (see its \"stop\" line and the errors before it)\n");
		return 1;
	}
	return 0;
}
