/*
 * The image table (core/images.c over the generated build/images/images.S, assembled
 * for the host): each entry's SHA-256, computed by the build with sha256sum, matches
 * core/lib/sha256.c over the embedded bytes; the bytes are the built program; every
 * program is a static EL0 executable as docs/syscalls.md describes; and every cell entry
 * of the shipped plans resolves to a function symbol of its image.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/plan_arena.h"
#include "core/images.h"
#include "core/lib/sha256.h"
#include "dt/plan.h"
#include "fixture.h"
#include "include/bulkhead/abi.h"

#ifndef BH_BUILD
#define BH_BUILD "build"
#endif

static void hex(const uint8_t *d, char out[SHA256_HEX])
{
	for (int i = 0; i < SHA256_BYTES; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

Test(images, the_demo_programs_are_in_the_table)
{
	cr_assert_geq(image_count, 3);
	cr_assert_not_null(image_find("demo-sensors"));
	cr_assert_not_null(image_find("demo-logger"));
	cr_assert_not_null(image_find("demo-actuators"));
	cr_assert_null(image_find("demo"));
	cr_assert_null(image_find("demo-sensors-x"));
}

Test(images, each_digest_is_sha256_of_the_embedded_bytes)
{
	for (size_t i = 0; i < image_count; i++) {
		const struct image_entry *e = &image_table[i];
		char want[SHA256_HEX], got[SHA256_HEX];

		hex(e->sha256, want);
		sha256_hex(e->bytes, e->size, got);
		cr_assert_str_eq(got, want, "%s: table says %s", e->name, want);
		cr_assert_eq((uintptr_t)e->bytes % 16, 0, "%s: bytes 16-byte aligned", e->name);
	}
}

Test(images, the_embedded_bytes_are_the_built_programs)
{
	for (size_t i = 0; i < image_count; i++) {
		const struct image_entry *e = &image_table[i];
		char path[128];
		FILE *f;
		long n;

		snprintf(path, sizeof(path), "%s/partitions/%s.elf", BH_BUILD, e->name);
		f = fopen(path, "rb");
		cr_assert_not_null(f, "%s", path);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		cr_assert_eq((size_t)n, e->size, "%s", e->name);
		uint8_t *buf = malloc((size_t)n);
		cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
		fclose(f);
		cr_assert_eq(memcmp(buf, e->bytes, e->size), 0, "%s", e->name);
		free(buf);
	}
}

static const Elf64_Ehdr *ehdr_of(const struct image_entry *e)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)e->bytes;

	cr_assert_geq(e->size, sizeof(*h));
	cr_assert_eq(memcmp(h->e_ident, ELFMAG, SELFMAG), 0, "%s: ELF magic", e->name);
	cr_assert_eq(h->e_ident[EI_CLASS], ELFCLASS64);
	cr_assert_eq(h->e_machine, EM_AARCH64);
	cr_assert_eq(h->e_type, ET_EXEC, "%s: static, not PIE", e->name);
	return h;
}

Test(images, programs_are_static_el0_executables_with_wx_page_aligned_segments)
{
	for (size_t i = 0; i < image_count; i++) {
		const struct image_entry *e = &image_table[i];
		const Elf64_Ehdr *h = ehdr_of(e);
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(e->bytes + h->e_phoff);
		unsigned int loads = 0;
		bool entry_in_text = false;

		for (int k = 0; k < h->e_phnum; k++) {
			cr_assert_neq(ph[k].p_type, PT_INTERP, "%s: no interpreter", e->name);
			cr_assert_neq(ph[k].p_type, PT_DYNAMIC, "%s: not dynamic", e->name);
			if (ph[k].p_type != PT_LOAD)
				continue;
			loads++;
			cr_assert_neq(ph[k].p_flags & (PF_W | PF_X), PF_W | PF_X, "%s: W^X", e->name);
			cr_assert_eq(ph[k].p_vaddr % BH_PAGE_BYTES, 0, "%s: page aligned", e->name);
			cr_assert_geq(ph[k].p_vaddr, BH_IMAGE_VA, "%s: above the null guard", e->name);
			cr_assert_leq(ph[k].p_vaddr + ph[k].p_memsz, BH_DYN_VA, "%s: below the heap", e->name);
			if ((ph[k].p_flags & PF_X) && h->e_entry >= ph[k].p_vaddr &&
			    h->e_entry < ph[k].p_vaddr + ph[k].p_memsz)
				entry_in_text = true;
		}
		cr_assert_eq(loads, 3, "%s: text, rodata, data", e->name);
		cr_assert(entry_in_text, "%s: entry in the executable segment", e->name);
	}
}

/* A global function symbol called name in the image's .symtab. */
static bool has_function(const struct image_entry *e, const char *name)
{
	const Elf64_Ehdr *h = ehdr_of(e);
	const Elf64_Shdr *sh = (const Elf64_Shdr *)(e->bytes + h->e_shoff);

	for (int s = 0; s < h->e_shnum; s++) {
		if (sh[s].sh_type != SHT_SYMTAB)
			continue;
		const Elf64_Sym *sym = (const Elf64_Sym *)(e->bytes + sh[s].sh_offset);
		const char *str = (const char *)(e->bytes + sh[sh[s].sh_link].sh_offset);

		for (size_t k = 0; k < sh[s].sh_size / sizeof(*sym); k++)
			if (ELF64_ST_TYPE(sym[k].st_info) == STT_FUNC &&
			    ELF64_ST_BIND(sym[k].st_info) == STB_GLOBAL && sym[k].st_shndx != SHN_UNDEF &&
			    !strcmp(str + sym[k].st_name, name))
				return true;
	}
	return false;
}

Test(images, a_name_that_is_not_a_function_is_not_found)
{
	cr_assert(has_function(image_find("demo-sensors"), "sensors_main"));
	cr_assert_not(has_function(image_find("demo-sensors"), "logger_main"));
	cr_assert_not(has_function(image_find("demo-sensors"), "sensors_mai"));
}

/* bhplan generate names these two entries in every partition it writes. */
Test(images, tick_has_the_entries_generated_plans_name)
{
	const struct image_entry *e = image_find("tick");

	cr_assert_not_null(e, "tick is built (CONFIG_PROGRAM_TICK)");
	cr_assert(has_function(e, "tick_main"));
	cr_assert(has_function(e, "watchdog_main"));
}

Test(images, every_cell_entry_of_the_shipped_plans_resolves_in_its_image)
{
	static const char *const plans[] = { "demo.dtb", "demo-xen.dtb", "attack.dtb",
					      "attack-xen.dtb", "fuzz.dtb", "fuzz-xen.dtb",
					      "faulty.dtb", "faulty-xen.dtb" };

	for (size_t p = 0; p < sizeof(plans) / sizeof(plans[0]); p++) {
		static struct plan plan;
		static struct plan_report rep;
		char name[64];
		size_t len;
		void *blob;

		snprintf(name, sizeof(name), "../plans/%s", plans[p]);
		blob = fixture_load(name, &len);
		plan_report_init(&rep);
		cr_assert_eq(plan_parse(blob, len, &plan, test_arena(), &rep), PLAN_OK, "%s", plans[p]);
		for (unsigned int i = 0; i < plan.n_part; i++) {
			const struct image_entry *e = image_find(plan.part[i].image);

			cr_assert_not_null(e, "%s: image %s", plans[p], plan.part[i].image);
			for (unsigned int c = 0; c < PLAN_CELLS; c++)
				cr_assert(has_function(e, plan.part[i].cell[c].entry), "%s: %s has no %s",
					  plans[p], e->name, plan.part[i].cell[c].entry);
		}
		free(blob);
	}
}
