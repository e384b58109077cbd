#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include "fixture.h"

void *fixture_load(const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	long n;
	void *buf;

	snprintf(path, sizeof(path), "%s/%s", BH_FIXTURES, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open fixture %s (run the tests through make test)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}
