#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

unsigned int fixture_replay_dir(const char *dir,
				void (*check)(const char *path, const void *bytes, size_t len))
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned int n = 0;

	cr_assert_not_null(d, "cannot open %s", dir);
	while ((e = readdir(d))) {
		char path[512];
		FILE *f;
		long len;
		void *buf;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "README.md"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		cr_assert_not_null(f, "%s", path);
		cr_assert_eq(fseek(f, 0, SEEK_END), 0);
		len = ftell(f);
		cr_assert_geq(len, 0);
		cr_assert_eq(fseek(f, 0, SEEK_SET), 0);
		/* Exactly its size: ASan then sees any read past the end. */
		buf = malloc(len ? (size_t)len : 1);
		cr_assert_not_null(buf);
		cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		check(path, buf, (size_t)len);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}
