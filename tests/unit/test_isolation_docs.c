/*
 * docs/isolation.md against the test programs: every attack of the attacker's table
 * (partitions/attacker/attacker.c) has its row with its expected outcome, every row names
 * an attack that exists, and every fault=MODE of faulty (partitions/faulty/faulty_mode.c)
 * is documented.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "partitions/faulty/faulty_mode.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "%s (run from the source tree)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* The text between two headings (the second excluded), as a new string. */
static char *section(const char *doc, const char *from, const char *to)
{
	const char *a = strstr(doc, from), *b;

	cr_assert_not_null(a, "no section '%s'", from);
	b = strstr(a, to);
	cr_assert_not_null(b, "no section '%s'", to);
	return strndup(a, (size_t)(b - a));
}

/* The attack names of the source's table: lines `\t{ "NAME", "...`. */
static int attack_names(const char *src, char names[][32], int max)
{
	int n = 0;

	for (const char *p = strstr(src, "\n\t{ \""); p && n < max; p = strstr(p + 1, "\n\t{ \"")) {
		const char *s = p + 5, *e = strchr(s, '"');

		cr_assert(e && e - s < 32);
		memcpy(names[n], s, (size_t)(e - s));
		names[n][e - s] = '\0';
		n++;
	}
	return n;
}

Test(isolation_docs, every_attack_has_its_row_and_every_row_an_attack)
{
	char *src = slurp("partitions/attacker/attacker.c");
	char *doc = slurp("docs/isolation.md");
	char *sec = section(doc, "## The attacker", "## The syscall fuzzer");
	static char names[128][32];
	int n = attack_names(src, names, 128);
	int rows = 0;

	cr_assert_gt(n, 40, "the attack table was not found (%d)", n);
	for (int i = 0; i < n; i++) {
		char row[64];

		snprintf(row, sizeof(row), "\n| `%s` | ", names[i]);
		cr_assert_not_null(strstr(sec, row), "docs/isolation.md has no row for attack=%s", names[i]);
	}
	/* Each row of the attack tables names an attack of the source. */
	for (const char *p = strstr(sec, "\n| `"); p; p = strstr(p + 1, "\n| `")) {
		const char *s = p + 4, *e = strchr(s, '`');
		int found = 0;

		if (!strncmp(s, "attack=", 7))
			continue; /* a table's header row */
		for (int i = 0; i < n && !found; i++)
			found = (size_t)(e - s) == strlen(names[i]) && !strncmp(s, names[i], (size_t)(e - s));
		cr_assert(found, "docs/isolation.md documents attack '%.*s', which attacker.c lacks",
			  (int)(e - s), s);
		rows++;
	}
	cr_assert_eq(rows, n, "one row per attack");
	free(sec);
	free(doc);
	free(src);
}

Test(isolation_docs, every_fault_mode_is_documented)
{
	char *doc = slurp("docs/isolation.md");
	char *sec = section(doc, "## Fault injection", "## Tests today");
	char *single = strstr(sec, "Single EL0 faults");

	cr_assert_not_null(single);
	for (unsigned int m = 0; m < FAULTY_MODES; m++) {
		char want[48];
		const char *name = faulty_mode_name((enum faulty_mode)m);

		if (m < FAULTY_NULL) {
			snprintf(want, sizeof(want), "\n| `%s` | ", name);
			cr_assert_not_null(strstr(sec, want), "no row for fault=%s", name);
		} else {
			snprintf(want, sizeof(want), "`%s`", name);
			cr_assert_not_null(strstr(single, want), "fault=%s not listed", name);
		}
	}
	free(sec);
	free(doc);
}
