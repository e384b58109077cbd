/*
 * Property test of the ELF loader: seeded random mutations (bytes, header and table
 * fields set to boundary values, truncations) of valid images, the generated one and
 * the real ones, never crash (ASan, UBSan) and are either refused or accepted with
 * every promise of core/elf.h intact (checked from the outside by fuzz_elf_one). The
 * seed is fixed: a failure names its round and repeats. Also replays
 * tests/fuzz/regressions/elf.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "elf_gen.h"
#include "fixture.h"
#include "fuzz/fuzz_elf.h"

#define ROUNDS 30000
#define REGRESSIONS "tests/fuzz/regressions/elf"

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Values at the edges of what the loader checks, or next to the old value. */
static uint64_t boundary(uint64_t *s, uint64_t old, size_t size)
{
	static const uint64_t fixed[] = {
		0, 1, 2, 3, 4, 7, 8, 0xfff, 0x1000, 0x1001, 0x10000, 0x400000, 0x3fffffff,
		0x40000000, 0xffff, 0xffffffff, 1ull << 63, UINT64_MAX, UINT64_MAX - 0xfff,
	};
	const unsigned int n = sizeof(fixed) / sizeof(fixed[0]);
	unsigned int k = (unsigned int)(rnd(s) % (n + 6));

	if (k < n)
		return fixed[k];
	switch (k - n) {
	case 0: return size;
	case 1: return size - 1;
	case 2: return old + 1;
	case 3: return old - 1;
	case 4: return old + 0x1000;
	default: return old ^ (1ull << (rnd(s) % 64));
	}
}

/* Where the headers and tables are: the first and the last 4 KiB of each image. */
static size_t field_offset(uint64_t *s, size_t size, unsigned int w)
{
	size_t span = size < 0x1000 ? size : 0x1000, off = (size_t)(rnd(s) % (span - w + 1));

	if (rnd(s) & 1)
		off += size - span;
	return off & ~(size_t)(w - 1);
}

static void mutate(uint64_t *s, uint8_t *b, size_t *size)
{
	unsigned int kind = (unsigned int)(rnd(s) % 8), w = 1u << (rnd(s) % 4);
	uint64_t v = 0;
	size_t off;

	if (kind == 0) {
		*size = (size_t)(rnd(s) % *size);
	} else if (kind < 3) {
		b[rnd(s) % *size] = (uint8_t)rnd(s);
	} else if (*size >= 8) {
		off = field_offset(s, *size, w);
		memcpy(&v, b + off, w);
		v = boundary(s, v, *size);
		memcpy(b + off, &v, w);
	}
}

static uint8_t *load(const char *name, size_t *n)
{
	return fixture_load(name, n);
}

Test(elf_props, mutations_are_refused_or_keep_every_promise)
{
	static struct elf_gen g;
	const uint8_t *base[3];
	size_t base_size[3];
	unsigned int accepted = 0, refused = 0, seen[ELF_ERR_COUNT] = { 0 }, kinds = 0;
	uint64_t s = 0x9e3779b97f4a7c15ull;

	elf_gen_build(&g);
	base[0] = elf_gen_bytes(&g);
	base_size[0] = g.size;
	base[1] = load("elf/prog.elf", &base_size[1]);
	base[2] = load("elf/prog-sep.elf", &base_size[2]);

	for (unsigned int round = 0; round < ROUNDS; round++) {
		unsigned int which = round % 3, n_mut = 1 + (unsigned int)(rnd(&s) % 3);
		size_t size = base_size[which];
		uint8_t *b = malloc(size);
		enum elf_err e;
		const char *bad;

		memcpy(b, base[which], size);
		for (unsigned int m = 0; m < n_mut && size > 0; m++)
			mutate(&s, b, &size);
		/* An exact-size copy: ASan sees any read past the end. */
		b = realloc(b, size ? size : 1);
		bad = fuzz_elf_one(b, size, &e);
		cr_assert_null(bad, "round %u: %s (parse: %s)", round, bad, elf_strerror(e));
		if (e == ELF_OK)
			accepted++;
		else
			refused++;
		if (!seen[e]++)
			kinds++;
		free(b);
	}
	free((void *)base[1]);
	free((void *)base[2]);
	/* The mutations reach both outcomes and many different checks. */
	cr_assert_gt(accepted, ROUNDS / 20, "accepted %u", accepted);
	cr_assert_gt(refused, ROUNDS / 4, "refused %u", refused);
	cr_assert_geq(kinds, 30, "only %u different results", kinds);
}

Test(elf_props, the_valid_images_keep_every_promise)
{
	static struct elf_gen g;
	enum elf_err e;
	size_t n;
	uint8_t *b;

	elf_gen_build(&g);
	cr_assert_null(fuzz_elf_one(elf_gen_bytes(&g), g.size, &e));
	cr_assert_eq(e, ELF_OK);
	for (const char *const *f = (const char *const[]){ "elf/prog.elf", "elf/prog-sep.elf", NULL }; *f; f++) {
		b = load(*f, &n);
		cr_assert_null(fuzz_elf_one(b, n, &e), "%s", *f);
		cr_assert_eq(e, ELF_OK, "%s: %s", *f, elf_strerror(e));
		free(b);
	}
}

/* Every input the fuzzer found a problem with, or that pins a tricky case. */
static void keeps_every_promise(const char *path, const void *bytes, size_t len)
{
	enum elf_err e;
	const char *bad = fuzz_elf_one(bytes, len, &e);

	cr_assert_null(bad, "%s: %s (parse: %s)", path, bad, elf_strerror(e));
}

Test(elf_props, regression_inputs_keep_every_promise)
{
	cr_assert_gt(fixture_replay_dir(REGRESSIONS, keeps_every_promise), 0,
		     "no regression inputs: the seeds are always there");
}
