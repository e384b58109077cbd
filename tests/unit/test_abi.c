/*
 * The partition ABI (include/bulkhead/abi.h) against its documentation: every call and
 * every error has a row in docs/syscalls.md with its number and name, and the names are
 * unique (logs and bh_strerror show them).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "include/bulkhead/abi.h"

struct entry {
	unsigned int num;
	const char *name;
};

static const struct entry calls[] = {
#define X(name, num, str, args) { num, str },
	BH_SYSCALLS(X)
#undef X
};

static const struct entry errors[] = {
#define X(name, num, str, what) { num, str },
	BH_ERRORS(X)
#undef X
};

static char *read_doc(void)
{
	FILE *f = fopen("docs/syscalls.md", "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "docs/syscalls.md (run from the source tree)");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void check_rows(const struct entry *e, size_t n, const char *what)
{
	char *doc = read_doc();

	for (size_t i = 0; i < n; i++) {
		char row[96];

		snprintf(row, sizeof(row), "\n| %u | `%s` |", e[i].num, e[i].name);
		cr_assert_not_null(strstr(doc, row), "docs/syscalls.md lacks the %s row '%s'", what,
				   row + 1);
		for (size_t k = 0; k < i; k++) {
			cr_assert_neq(e[k].num, e[i].num, "%s %u twice", what, e[i].num);
			cr_assert_str_neq(e[k].name, e[i].name, "%s name %s twice", what, e[i].name);
		}
	}
	free(doc);
}

Test(abi, every_call_is_documented_with_its_number)
{
	check_rows(calls, sizeof(calls) / sizeof(calls[0]), "call");
	cr_assert_eq(sizeof(calls) / sizeof(calls[0]), BH_SYS_COUNT, "calls numbered 0..count-1");
}

Test(abi, every_error_is_documented_with_its_code)
{
	check_rows(errors, sizeof(errors) / sizeof(errors[0]), "error");
	cr_assert_eq(sizeof(errors) / sizeof(errors[0]) + 1, BH_E_COUNT, "errors numbered 1..count-1");
}

Test(abi, capability_calls_lie_in_their_reserved_ranges_and_are_documented)
{
	static const struct entry cap_calls[] = {
#define X(name, num, str, args, right) { num, str },
		BH_CAP_SYSCALLS(X)
#undef X
	};
	char *doc = read_doc();

	for (size_t i = 0; i < sizeof(cap_calls) / sizeof(cap_calls[0]); i++) {
		char row[96];
		unsigned int n = cap_calls[i].num;

		cr_assert((n >= BH_SYS_DEVICE_FIRST && n <= BH_SYS_DEVICE_LAST) ||
			  (n >= BH_SYS_PORT_FIRST && n <= BH_SYS_PORT_LAST), "0x%x", n);
		snprintf(row, sizeof(row), "\n| 0x%x | `%s` |", n, cap_calls[i].name);
		cr_assert_not_null(strstr(doc, row), "docs/syscalls.md lacks '%s'", row + 1);
		for (size_t k = 0; k < i; k++)
			cr_assert_neq(cap_calls[k].num, n);
	}
	free(doc);
}
