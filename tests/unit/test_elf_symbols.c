/*
 * Symbol lookup (elf_symbol) on the generated image, and the real programs the cross
 * compiler builds (tests/fixtures/elf/prog.c, linked two ways) through the whole loader.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "core/elf.h"
#include "elf_gen.h"
#include "fixture.h"

static const struct elf_limits lim = { 0x400000, 0x40000000, ELF_MAX_SEGMENTS };
static struct elf_gen g;
static struct elf_image img;

static void parse_gen(void)
{
	elf_gen_build(&g);
	cr_assert_eq(elf_parse(elf_gen_bytes(&g), g.size, &lim, &img), ELF_OK);
}

static enum elf_err lookup(const char *name, uint64_t *addr)
{
	*addr = 0xdead;
	return elf_symbol(&img, elf_gen_bytes(&g), g.size, name, addr);
}

#define FOUND(name, want)                                                                            \
	do {                                                                                         \
		uint64_t a_;                                                                         \
		enum elf_err e_ = lookup(name, &a_);                                                 \
		cr_assert_eq(e_, ELF_OK, "%s: %s", name, elf_strerror(e_));                          \
		cr_assert_eq(a_, (uint64_t)(want), "%s at %#lx", name, (unsigned long)a_);          \
	} while (0)

#define NOT_FOUND(name, want)                                                                        \
	do {                                                                                         \
		uint64_t a_;                                                                         \
		enum elf_err e_ = lookup(name, &a_);                                                 \
		cr_assert_eq(e_, want, "%s: got %s, want %s", name, elf_strerror(e_), elf_strerror(want)); \
		cr_assert_eq(a_, 0xdead, "%s: address written on error", name);                     \
	} while (0)

Test(elf_symbol, functions_resolve)
{
	parse_gen();
	FOUND("sensors_main", 0x401000);
	FOUND("logger_main", 0x401020);
	FOUND("tick", 0x401080); /* the global one; a local one has the same name */
}

Test(elf_symbol, refusals_are_precise)
{
	parse_gen();
	NOT_FOUND("missing", ELF_ERR_SYM_NOT_FOUND);
	NOT_FOUND("sensors", ELF_ERR_SYM_NOT_FOUND);        /* a prefix of a name */
	NOT_FOUND("sensors_main_x", ELF_ERR_SYM_NOT_FOUND); /* a name is a prefix of it */
	NOT_FOUND("twice", ELF_ERR_SYM_AMBIGUOUS);         /* a global and a weak */
	NOT_FOUND("helper", ELF_ERR_SYM_LOCAL);            /* a static function */
	NOT_FOUND("dup", ELF_ERR_SYM_LOCAL);               /* two static functions */
	NOT_FOUND("counter", ELF_ERR_SYM_NOT_FUNC);
	NOT_FOUND("ext", ELF_ERR_SYM_UNDEFINED);
	NOT_FOUND("odd", ELF_ERR_SYM_ALIGN);
	NOT_FOUND("indata", ELF_ERR_SYM_NOT_EXEC);
	NOT_FOUND("bigfn", ELF_ERR_SYM_NOT_EXEC); /* runs past the end of .text */
	NOT_FOUND("", ELF_ERR_NAME);
}

Test(elf_symbol, name_length_is_bounded)
{
	char name[ELF_NAME_MAX + 1];

	parse_gen();
	memset(name, 'a', sizeof(name));
	name[ELF_NAME_MAX - 1] = 0;
	NOT_FOUND(name, ELF_ERR_SYM_NOT_FOUND); /* the longest name accepted */
	name[ELF_NAME_MAX - 1] = 'a';
	name[ELF_NAME_MAX] = 0;
	NOT_FOUND(name, ELF_ERR_NAME);
}

Test(elf_symbol, only_the_bytes_that_were_parsed)
{
	uint64_t a;

	parse_gen();
	cr_assert_eq(elf_symbol(&img, elf_gen_bytes(&g), g.size - 1, "sensors_main", &a), ELF_ERR_IMAGE_MISMATCH);
	/* A name is read inside the string table only: with the table cut after "big",
	 * "bigfn" (the last name) is not there. */
	img.strtab_size -= 3;
	NOT_FOUND("bigfn", ELF_ERR_SYM_NOT_FOUND);
	img.symtab_off = UINT64_MAX - 8;
	cr_assert_eq(lookup("sensors_main", &a), ELF_ERR_IMAGE_MISMATCH);
	cr_assert_eq(elf_symbol(NULL, elf_gen_bytes(&g), g.size, "x", &a), ELF_ERR_ARG);
	cr_assert_eq(elf_symbol(&img, elf_gen_bytes(&g), g.size, NULL, &a), ELF_ERR_ARG);
}

Test(elf_symbol, stripped_image)
{
	uint64_t a;

	elf_gen_build(&g);
	elf_gen_shdr(&g, GEN_SH_SYMTAB)->sh_type = SHT_PROGBITS;
	cr_assert_eq(elf_parse(elf_gen_bytes(&g), g.size, &lim, &img), ELF_OK);
	cr_assert_eq(lookup("sensors_main", &a), ELF_ERR_NO_SYMTAB);
}

Test(elf_symbol, undefined_reference_does_not_hide_a_definition)
{
	elf_gen_build(&g);
	/* "ext" becomes a second, defined, local "sensors_main": the global still wins. */
	elf_gen_sym(&g, GEN_SYM_EXT)->st_name = elf_gen_sym(&g, GEN_SYM_SENSORS)->st_name;
	elf_gen_sym(&g, GEN_SYM_EXT)->st_info = ELF64_ST_INFO(STB_LOCAL, STT_FUNC);
	elf_gen_sym(&g, GEN_SYM_EXT)->st_shndx = GEN_SH_TEXT;
	elf_gen_sym(&g, GEN_SYM_EXT)->st_value = 0x4010c0;
	cr_assert_eq(elf_parse(elf_gen_bytes(&g), g.size, &lim, &img), ELF_OK);
	FOUND("sensors_main", 0x401000);
	/* An undefined global "logger_main" beside the defined one changes nothing either. */
	elf_gen_sym(&g, GEN_SYM_EXT)->st_name = elf_gen_sym(&g, GEN_SYM_LOGGER)->st_name;
	elf_gen_sym(&g, GEN_SYM_EXT)->st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC);
	elf_gen_sym(&g, GEN_SYM_EXT)->st_shndx = SHN_UNDEF;
	FOUND("logger_main", 0x401020);
}

/* The cross compiler's output: the address nm would print, read back from .symtab here. */
static uint64_t sym_value(const uint8_t *b, const char *name)
{
	Elf64_Ehdr eh;

	memcpy(&eh, b, sizeof(eh));
	for (unsigned int i = 0; i < eh.e_shnum; i++) {
		Elf64_Shdr sh, str;

		memcpy(&sh, b + eh.e_shoff + i * sizeof(sh), sizeof(sh));
		if (sh.sh_type != SHT_SYMTAB)
			continue;
		memcpy(&str, b + eh.e_shoff + sh.sh_link * sizeof(str), sizeof(str));
		for (uint64_t o = 0; o < sh.sh_size; o += sizeof(Elf64_Sym)) {
			Elf64_Sym s;

			memcpy(&s, b + sh.sh_offset + o, sizeof(s));
			if (!strcmp((const char *)b + str.sh_offset + s.st_name, name))
				return s.st_value;
		}
	}
	cr_assert_fail("%s not in the fixture", name);
	return 0;
}

static void check_real(const char *fixture, unsigned int want_segments)
{
	size_t n;
	uint8_t *b = fixture_load(fixture, &n);
	uint64_t a;
	enum elf_err e = elf_parse(b, n, &lim, &img);

	cr_assert_eq(e, ELF_OK, "%s: %s at %u", fixture, elf_strerror(e), img.err_index);
	cr_assert_eq(img.n_segments, want_segments, "%s", fixture);
	cr_assert_eq(img.seg[0].vaddr, 0x400000, "linked at 0x400000");
	cr_assert_eq(img.entry, sym_value(b, "_start"));
	cr_assert(img.tls.present, "prog.c has thread-local data");
	cr_assert_eq(img.tls.filesz, 4);
	cr_assert_eq(img.tls.memsz, 8);
	for (unsigned int i = 0; i < img.n_segments; i++)
		cr_assert_neq(img.seg[i].flags, ELF_SEG_R | ELF_SEG_W | ELF_SEG_X);
	cr_assert_eq(img.seg[img.n_segments - 1].flags, ELF_SEG_R | ELF_SEG_W);
	cr_assert_gt(img.seg[img.n_segments - 1].memsz, img.seg[img.n_segments - 1].filesz, "has .bss");
	for (const char *const *s = (const char *const[]){ "sensors_main", "logger_main", "_start", NULL };
	     *s; s++) {
		cr_assert_eq(elf_symbol(&img, b, n, *s, &a), ELF_OK, "%s: %s", fixture, *s);
		cr_assert_eq(a, sym_value(b, *s), "%s: %s", fixture, *s);
	}
	cr_assert_eq(elf_symbol(&img, b, n, "tick", &a), ELF_ERR_SYM_LOCAL, "tick is static");
	cr_assert_eq(elf_symbol(&img, b, n, "counter", &a), ELF_ERR_SYM_NOT_FUNC);
	cr_assert_eq(elf_symbol(&img, b, n, "message", &a), ELF_ERR_SYM_NOT_FUNC);
	cr_assert_eq(elf_symbol(&img, b, n, "tvar", &a), ELF_ERR_SYM_NOT_FUNC);
	cr_assert_eq(elf_symbol(&img, b, n, "actuators_main", &a), ELF_ERR_SYM_NOT_FOUND);
	free(b);
}

Test(elf_real, default_link)
{
	check_real("elf/prog.elf", 2); /* RX (headers, text, rodata), RW (tdata, data, bss) */
}

Test(elf_real, separate_code)
{
	check_real("elf/prog-sep.elf", 4); /* R (headers), RX (text), R (rodata), RW */
}

Test(elf_real, every_truncation_is_refused)
{
	size_t n;
	uint8_t *b = fixture_load("elf/prog-sep.elf", &n);

	for (size_t cut = 0; cut < n; cut++) {
		/* Exact-size copies, so ASan sees any read past the end. */
		uint8_t *c = malloc(cut ? cut : 1);

		memcpy(c, b, cut);
		cr_assert_neq(elf_parse(c, cut, &lim, &img), ELF_OK, "accepted cut at %zu of %zu", cut, n);
		free(c);
	}
	free(b);
}
