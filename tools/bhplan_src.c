/*
 * bhplan: where a finding is in the plan's source. dtc -T -T annotates every node and
 * property of its .dts output with the file:line:col-line:col ranges that set it; this reads that output
 * back into a table of (node path, property) -> the last file:line (the one that set the
 * value the kernel sees, e.g. an override after an /include/).
 */
#include <ctype.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "bhplan.h"

extern char **environ;

#define SRC_MAX_ENTRIES 4096
#define SRC_DEPTH 32

struct src_entry {
	char path[PLAN_PATH_MAX];
	char prop[48];   /* "" for the node itself */
	char loc[160];   /* "file:line" */
};

static struct src_entry *entries;
static unsigned int n_entries;

/* dtc's stdout, or NULL. */
static char *dtc_annotated(const char *dts)
{
	const char *argv[] = { "dtc", "-q", "-T", "-T", "-I", "dts", "-O", "dts", dts, NULL };
	int fds[2], status;
	pid_t pid;
	posix_spawn_file_actions_t fa;
	size_t len = 0, cap = 1 << 16;
	char *out = malloc(cap);
	ssize_t got;

	if (!out || pipe(fds) != 0) {
		free(out);
		return NULL;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	int rc = posix_spawnp(&pid, "dtc", &fa, NULL, (char *const *)argv, environ);

	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (rc != 0) {
		close(fds[0]);
		free(out);
		return NULL;
	}
	while ((got = read(fds[0], out + len, cap - 1 - len)) > 0) {
		len += (size_t)got;
		if (len + 1 == cap) {
			char *bigger = realloc(out, cap *= 2);

			if (!bigger)
				break;
			out = bigger;
		}
	}
	out[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* "file:line" of the last "file:L:C-L:C" range in the annotation at the end of the line. */
static bool last_loc(const char *line, char *loc, size_t cap)
{
	const char *c = strstr(line, "/* "), *end, *start;
	char *dash, *col;

	if (!c || !(end = strstr(c, " */")))
		return false;
	start = end;
	while (start > c + 3 && start[-1] != ' ')
		start--;
	if ((size_t)(end - start) >= cap)
		return false;
	memcpy(loc, start, (size_t)(end - start));
	loc[end - start] = '\0';
	dash = strrchr(loc, '-');
	if (dash)
		*dash = '\0';
	col = strrchr(loc, ':');
	if (!col || col == loc)
		return false;
	*col = '\0'; /* drop the column */
	return strchr(loc, ':') != NULL;
}

static void add(const char *path, const char *prop, const char *loc)
{
	struct src_entry *e;

	if (n_entries >= SRC_MAX_ENTRIES)
		return;
	e = &entries[n_entries++];
	snprintf(e->path, sizeof(e->path), "%s", path);
	snprintf(e->prop, sizeof(e->prop), "%s", prop);
	snprintf(e->loc, sizeof(e->loc), "%s", loc);
}

void src_locate(const char *plan_path)
{
	size_t n = strlen(plan_path);
	char *text, *save = NULL;
	char stack[SRC_DEPTH][PLAN_PATH_MAX];
	int depth = 0;

	if (n < 4 || strcmp(plan_path + n - 4, ".dts"))
		return;
	text = dtc_annotated(plan_path);
	entries = calloc(SRC_MAX_ENTRIES, sizeof(*entries));
	if (!text || !entries) {
		free(text);
		return;
	}
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char loc[160], name[PLAN_PATH_MAX];
		const char *brace, *s = l;

		while (isspace((unsigned char)*s))
			s++;
		if (!strncmp(s, "};", 2)) {
			depth -= depth > 0;
			continue;
		}
		bool has_loc = last_loc(s, loc, sizeof(loc));

		brace = strstr(s, " {");
		if (brace && (size_t)(brace - s) < sizeof(name) && depth < SRC_DEPTH) {
			memcpy(name, s, (size_t)(brace - s));
			name[brace - s] = '\0';
			char full[2 * PLAN_PATH_MAX + 2];
			size_t fl;

			if (depth == 0)
				snprintf(full, sizeof(full), "/");
			else
				snprintf(full, sizeof(full), "%s%s%s", stack[depth - 1],
					 depth == 1 ? "" : "/", name);
			fl = strnlen(full, PLAN_PATH_MAX - 1);
			memcpy(stack[depth], full, fl);
			stack[depth][fl] = '\0';
			if (has_loc)
				add(stack[depth], "", loc);
			depth++;
		} else if (depth > 0 && has_loc) {
			size_t k = strcspn(s, " =;");

			if (k < sizeof(name)) {
				memcpy(name, s, k);
				name[k] = '\0';
				add(stack[depth - 1], name, loc);
			}
		}
	}
	free(text);
}

static const char *find(const char *path, const char *prop)
{
	for (unsigned int i = 0; i < n_entries; i++)
		if (!strcmp(entries[i].path, path) && !strcmp(entries[i].prop, prop))
			return entries[i].loc;
	return NULL;
}

/* The property a message is about: "prop = ..." at its start, or the first 'quoted' word
 * (unknown properties). The node's own line otherwise. */
const char *src_line_of(const char *path, const char *what, char *buf, size_t cap)
{
	char prop[48];
	const char *loc = NULL, *q;
	size_t k = strcspn(what, " ");

	if (!entries)
		return NULL;
	if (k < sizeof(prop) && !strncmp(what + k, " = ", 3)) {
		memcpy(prop, what, k);
		prop[k] = '\0';
		loc = find(path, prop);
	}
	if (!loc && (q = strchr(what, '\'')) && (k = strcspn(q + 1, "'")) < sizeof(prop)) {
		memcpy(prop, q + 1, k);
		prop[k] = '\0';
		loc = find(path, prop);
	}
	if (!loc)
		loc = find(path[0] ? path : "/", "");
	if (!loc)
		return NULL;
	snprintf(buf, cap, "%s", loc);
	return buf;
}
