/*
 * The ELF loader (core/elf.c): a valid image built in memory (elf_gen.c) is accepted and
 * described exactly; each single defect is refused with its own error (and the index
 * of the header at fault); symbols resolve by the documented rules. The real programs
 * the cross compiler builds (tests/fixtures/elf) are accepted too.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "core/elf.h"
#include "elf_gen.h"
#include "fixture.h"

#define NONE ELF_NO_INDEX
#define EH elf_gen_ehdr(&g)
#define PH(i) elf_gen_phdr(&g, GEN_PH_##i)
#define SH(i) elf_gen_shdr(&g, GEN_SH_##i)
#define SYM(i) elf_gen_sym(&g, GEN_SYM_##i)

static const struct elf_limits lim = { 0x400000, 0x40000000, ELF_MAX_SEGMENTS };
static struct elf_gen g;
static struct elf_image img;

static enum elf_err parse_with(size_t size, const struct elf_limits *l)
{
	return elf_parse(elf_gen_bytes(&g), size, l, &img);
}

Test(elf, generated_image_is_described_exactly)
{
	elf_gen_build(&g);
	cr_assert_eq(parse_with(g.size, &lim), ELF_OK);
	cr_assert_eq(img.entry, GEN_TEXT_VA);
	cr_assert_eq(img.n_segments, 2);
	cr_assert_eq(img.seg[0].vaddr, GEN_TEXT_VA);
	cr_assert_eq(img.seg[0].memsz, GEN_TEXT_SIZE);
	cr_assert_eq(img.seg[0].file_off, GEN_TEXT_OFF);
	cr_assert_eq(img.seg[0].filesz, GEN_TEXT_SIZE);
	cr_assert_eq(img.seg[0].flags, ELF_SEG_R | ELF_SEG_X);
	cr_assert_eq(img.seg[1].vaddr, GEN_DATA_VA);
	cr_assert_eq(img.seg[1].memsz, GEN_DATA_MEMSZ);
	cr_assert_eq(img.seg[1].file_off, GEN_DATA_OFF);
	cr_assert_eq(img.seg[1].filesz, GEN_DATA_FILESZ);
	cr_assert_eq(img.seg[1].flags, ELF_SEG_R | ELF_SEG_W);
	cr_assert_eq(img.mem_bytes, 0x1000 + GEN_DATA_MEMSZ);
	cr_assert_not(img.tls.present);
	cr_assert(img.has_symtab);
	cr_assert_eq(img.symtab_off, g.symtab_off);
	cr_assert_eq(img.strtab_off, g.strtab_off);
	cr_assert_eq(img.strtab_size, g.strtab_size);
	cr_assert_eq(img.err_index, NONE);
}

Test(elf, error_names)
{
	for (unsigned int e = 0; e < ELF_ERR_COUNT; e++) {
		cr_assert_str_neq(elf_strerror((enum elf_err)e), "unknown error", "error %u has no name", e);
		for (unsigned int f = 0; f < e; f++)
			cr_assert_str_neq(elf_strerror((enum elf_err)e), elf_strerror((enum elf_err)f),
					  "errors %u and %u read the same", e, f);
	}
	cr_assert_str_eq(elf_strerror(ELF_ERR_COUNT), "unknown error");
}

/* One defect on the valid image: refused with want, at header index idx. */
#define REFUSED(name, want, idx, ...)                                                               \
	Test(elf_refused, name)                                                                     \
	{                                                                                           \
		size_t size;                                                                        \
		struct elf_limits l = lim;                                                          \
		enum elf_err e;                                                                     \
		elf_gen_build(&g);                                                                  \
		size = g.size;                                                                      \
		__VA_ARGS__;                                                                        \
		(void)l;                                                                            \
		e = parse_with(size, &l);                                                           \
		cr_assert_eq(e, want, "got %s, want %s", elf_strerror(e), elf_strerror(want));      \
		cr_assert_eq(img.err_index, (unsigned int)(idx), "at index %u", img.err_index);    \
	}

/* Arguments and limits. */
REFUSED(limits_empty_window, ELF_ERR_LIMITS, NONE, l.va_max = l.va_min)
REFUSED(limits_unaligned, ELF_ERR_LIMITS, NONE, l.va_min += 8)
REFUSED(limits_no_segments, ELF_ERR_LIMITS, NONE, l.max_segments = 0)
REFUSED(limits_too_many_segments, ELF_ERR_LIMITS, NONE, l.max_segments = ELF_MAX_SEGMENTS + 1)

/* File header. */
REFUSED(empty_file, ELF_ERR_TRUNCATED, NONE, size = 0)
REFUSED(truncated_header, ELF_ERR_TRUNCATED, NONE, size = sizeof(Elf64_Ehdr) - 1)
REFUSED(bad_magic, ELF_ERR_MAGIC, NONE, EH->e_ident[EI_MAG1] = 'e')
REFUSED(elf32, ELF_ERR_CLASS, NONE, EH->e_ident[EI_CLASS] = ELFCLASS32)
REFUSED(big_endian, ELF_ERR_DATA, NONE, EH->e_ident[EI_DATA] = ELFDATA2MSB)
REFUSED(ident_version, ELF_ERR_VERSION, NONE, EH->e_ident[EI_VERSION] = 2)
REFUSED(header_version, ELF_ERR_VERSION, NONE, EH->e_version = 0)
REFUSED(osabi_gnu, ELF_ERR_OSABI, NONE, EH->e_ident[EI_OSABI] = ELFOSABI_GNU)
REFUSED(abi_version, ELF_ERR_OSABI, NONE, EH->e_ident[EI_ABIVERSION] = 1)
REFUSED(pie, ELF_ERR_TYPE, NONE, EH->e_type = ET_DYN)
REFUSED(relocatable, ELF_ERR_TYPE, NONE, EH->e_type = ET_REL)
REFUSED(x86_64, ELF_ERR_MACHINE, NONE, EH->e_machine = EM_X86_64)
REFUSED(arm32_machine, ELF_ERR_MACHINE, NONE, EH->e_machine = EM_ARM)
REFUSED(processor_flags, ELF_ERR_FLAGS, NONE, EH->e_flags = 1)
REFUSED(ehsize, ELF_ERR_EHSIZE, NONE, EH->e_ehsize = 52)
REFUSED(phentsize, ELF_ERR_PHENTSIZE, NONE, EH->e_phentsize = 32)
REFUSED(no_program_headers, ELF_ERR_PHNUM, NONE, EH->e_phnum = 0)
REFUSED(extended_phnum, ELF_ERR_PHNUM, NONE, EH->e_phnum = PN_XNUM)
REFUSED(truncated_program_headers, ELF_ERR_PHDRS_OUTSIDE, NONE, size = 0x100)
REFUSED(program_headers_past_file, ELF_ERR_PHDRS_OUTSIDE, NONE, EH->e_phnum = 1000)
REFUSED(program_headers_wrap, ELF_ERR_PHDRS_OUTSIDE, NONE, EH->e_phoff = UINT64_MAX - 100)
REFUSED(shentsize, ELF_ERR_SHENTSIZE, NONE, EH->e_shentsize = 40)
REFUSED(extended_shnum, ELF_ERR_SHNUM, NONE, EH->e_shnum = 0)
REFUSED(truncated_section_headers, ELF_ERR_SHDRS_OUTSIDE, NONE, size = g.size - 1)
REFUSED(section_headers_wrap, ELF_ERR_SHDRS_OUTSIDE, NONE, EH->e_shoff = UINT64_MAX - 63)
REFUSED(shstrndx_out_of_range, ELF_ERR_SHSTRNDX, NONE, EH->e_shstrndx = GEN_SH_NUM)
REFUSED(shstrndx_xindex, ELF_ERR_SHSTRNDX, NONE, EH->e_shstrndx = SHN_XINDEX)

/* Program headers the loader refuses. */
REFUSED(interpreter, ELF_ERR_INTERP, GEN_PH_SPARE, PH(SPARE)->p_type = PT_INTERP)
REFUSED(dynamic, ELF_ERR_DYNAMIC, GEN_PH_SPARE, PH(SPARE)->p_type = PT_DYNAMIC)
REFUSED(shlib, ELF_ERR_PHDR_TYPE, GEN_PH_SPARE, PH(SPARE)->p_type = PT_SHLIB)
REFUSED(unknown_os_type, ELF_ERR_PHDR_TYPE, GEN_PH_SPARE2, PH(SPARE2)->p_type = PT_LOOS + 1)
REFUSED(executable_stack, ELF_ERR_EXEC_STACK, GEN_PH_STACK, PH(STACK)->p_flags = PF_R | PF_W | PF_X)

/* Thread-local storage: a template inside .data's file bytes is fine, others not. */
static void add_tls(Elf64_Phdr *ph, uint64_t filesz, uint64_t memsz, uint64_t align)
{
	*ph = (Elf64_Phdr){ .p_type = PT_TLS, .p_flags = PF_R, .p_offset = GEN_DATA_OFF + 8,
			    .p_vaddr = GEN_DATA_VA + 8, .p_paddr = GEN_DATA_VA + 8, .p_filesz = filesz,
			    .p_memsz = memsz, .p_align = align };
}

REFUSED(tls_twice, ELF_ERR_TLS_MULTIPLE, GEN_PH_SPARE2, add_tls(PH(SPARE), 4, 8, 4); add_tls(PH(SPARE2), 4, 8, 4))
REFUSED(tls_filesz_over_memsz, ELF_ERR_TLS_SIZE, GEN_PH_SPARE, add_tls(PH(SPARE), 8, 4, 4))
REFUSED(tls_huge, ELF_ERR_TLS_SIZE, GEN_PH_SPARE, add_tls(PH(SPARE), 0, 1ull << 40, 4))
REFUSED(tls_align, ELF_ERR_TLS_ALIGN, GEN_PH_SPARE, add_tls(PH(SPARE), 4, 8, 12))
REFUSED(tls_template_in_bss, ELF_ERR_TLS_OUTSIDE, GEN_PH_SPARE, add_tls(PH(SPARE), 16, 16, 4))
REFUSED(tls_template_offset, ELF_ERR_TLS_OUTSIDE, GEN_PH_SPARE,
	add_tls(PH(SPARE), 4, 8, 4); PH(SPARE)->p_offset += 4)

Test(elf, tls_template_in_data_is_kept)
{
	elf_gen_build(&g);
	add_tls(elf_gen_phdr(&g, GEN_PH_SPARE), 8, 24, 8);
	cr_assert_eq(parse_with(g.size, &lim), ELF_OK);
	cr_assert(img.tls.present);
	cr_assert_eq(img.tls.vaddr, GEN_DATA_VA + 8);
	cr_assert_eq(img.tls.filesz, 8);
	cr_assert_eq(img.tls.memsz, 24);
	cr_assert_eq(img.tls.align, 8);
}

/* Loadable segments. */
REFUSED(no_load_segment, ELF_ERR_SEG_NONE, NONE, PH(TEXT)->p_type = PT_NULL; PH(DATA)->p_type = PT_NULL)
REFUSED(too_many_segments, ELF_ERR_SEG_TOO_MANY, GEN_PH_DATA, l.max_segments = 1)
REFUSED(data_writable_and_executable, ELF_ERR_SEG_WX, GEN_PH_DATA, PH(DATA)->p_flags = PF_R | PF_W | PF_X)
REFUSED(text_writable_and_executable, ELF_ERR_SEG_WX, GEN_PH_TEXT, PH(TEXT)->p_flags = PF_W | PF_X)
REFUSED(execute_only, ELF_ERR_SEG_FLAGS, GEN_PH_TEXT, PH(TEXT)->p_flags = PF_X)
REFUSED(write_only, ELF_ERR_SEG_FLAGS, GEN_PH_DATA, PH(DATA)->p_flags = PF_W)
REFUSED(no_flags, ELF_ERR_SEG_FLAGS, GEN_PH_DATA, PH(DATA)->p_flags = 0)
REFUSED(os_flag_bits, ELF_ERR_SEG_FLAGS, GEN_PH_DATA, PH(DATA)->p_flags = PF_R | PF_W | 0x00100000)
REFUSED(empty_segment, ELF_ERR_SEG_EMPTY, GEN_PH_DATA, PH(DATA)->p_memsz = 0; PH(DATA)->p_filesz = 0)
REFUSED(filesz_over_memsz, ELF_ERR_SEG_FILESZ, GEN_PH_DATA, PH(DATA)->p_filesz = GEN_DATA_MEMSZ + 1)
REFUSED(segment_past_file, ELF_ERR_SEG_PAST_FILE, GEN_PH_DATA, PH(DATA)->p_offset = g.size - 8)
REFUSED(segment_offset_wraps, ELF_ERR_SEG_PAST_FILE, GEN_PH_DATA, PH(DATA)->p_offset = UINT64_MAX - 8)
REFUSED(segment_huge_filesz, ELF_ERR_SEG_PAST_FILE, GEN_PH_TEXT,
	PH(TEXT)->p_filesz = 1ull << 62; PH(TEXT)->p_memsz = 1ull << 62)
REFUSED(segment_wraps, ELF_ERR_SEG_WRAP, GEN_PH_DATA,
	PH(DATA)->p_vaddr = PH(DATA)->p_paddr = UINT64_MAX - 0xfff)
REFUSED(segment_huge_memsz, ELF_ERR_SEG_WINDOW, GEN_PH_DATA, PH(DATA)->p_memsz = 1ull << 40)
REFUSED(segment_paddr, ELF_ERR_SEG_PADDR, GEN_PH_DATA, PH(DATA)->p_paddr = 0x10000000)
REFUSED(align_zero, ELF_ERR_SEG_ALIGN, GEN_PH_TEXT, PH(TEXT)->p_align = 0)
REFUSED(align_small, ELF_ERR_SEG_ALIGN, GEN_PH_TEXT, PH(TEXT)->p_align = 0x800)
REFUSED(align_not_power_of_two, ELF_ERR_SEG_ALIGN, GEN_PH_DATA, PH(DATA)->p_align = 0x3000)
REFUSED(align_mismatch, ELF_ERR_SEG_ALIGN_MISMATCH, GEN_PH_DATA,
	PH(DATA)->p_vaddr = PH(DATA)->p_paddr = GEN_DATA_VA + 0x100)
REFUSED(below_window, ELF_ERR_SEG_WINDOW, GEN_PH_TEXT, PH(TEXT)->p_vaddr = PH(TEXT)->p_paddr = 0x1000)
REFUSED(above_window, ELF_ERR_SEG_WINDOW, GEN_PH_DATA,
	PH(DATA)->p_vaddr = PH(DATA)->p_paddr = 0x40000000 - 0x1000)
REFUSED(out_of_order, ELF_ERR_SEG_ORDER, GEN_PH_DATA,
	Elf64_Phdr t = *PH(TEXT); *PH(TEXT) = *PH(DATA); *PH(DATA) = t)
REFUSED(same_address, ELF_ERR_SEG_ORDER, GEN_PH_DATA,
	PH(DATA)->p_vaddr = PH(DATA)->p_paddr = GEN_TEXT_VA; PH(DATA)->p_offset = GEN_TEXT_OFF)
REFUSED(overlapping_segments, ELF_ERR_SEG_OVERLAP, GEN_PH_DATA, PH(TEXT)->p_memsz = 0x1100)
REFUSED(segments_share_a_page, ELF_ERR_SEG_OVERLAP, GEN_PH_DATA,
	PH(DATA)->p_vaddr = PH(DATA)->p_paddr = GEN_TEXT_VA + 0xf00; PH(DATA)->p_offset = 0x1f00)

/* Entry point. */
REFUSED(entry_in_data, ELF_ERR_ENTRY, NONE, EH->e_entry = GEN_DATA_VA)
REFUSED(entry_past_text, ELF_ERR_ENTRY, NONE, EH->e_entry = GEN_TEXT_VA + GEN_TEXT_SIZE)
REFUSED(entry_last_bytes_of_text, ELF_ERR_ENTRY, NONE, EH->e_entry = GEN_TEXT_VA + GEN_TEXT_SIZE - 2)
REFUSED(entry_zero, ELF_ERR_ENTRY, NONE, EH->e_entry = 0)
REFUSED(entry_in_text_bss, ELF_ERR_ENTRY, NONE,
	PH(TEXT)->p_memsz = 0x200; EH->e_entry = GEN_TEXT_VA + 0x100)
REFUSED(entry_misaligned, ELF_ERR_ENTRY_ALIGN, NONE, EH->e_entry = GEN_TEXT_VA + 2)

/* Sections and the symbol table. */
REFUSED(section_past_file, ELF_ERR_SECTION_OUTSIDE, GEN_SH_TEXT, SH(TEXT)->sh_offset = g.size)
REFUSED(section_size_wraps, ELF_ERR_SECTION_OUTSIDE, GEN_SH_SHSTRTAB, SH(SHSTRTAB)->sh_size = UINT64_MAX)
REFUSED(symtab_huge, ELF_ERR_SECTION_OUTSIDE, GEN_SH_SYMTAB, SH(SYMTAB)->sh_size = 24ull << 40)
REFUSED(two_symtabs, ELF_ERR_SYMTAB_MULTIPLE, GEN_SH_SHSTRTAB, SH(SHSTRTAB)->sh_type = SHT_SYMTAB)
REFUSED(symtab_entsize, ELF_ERR_SYMTAB_ENTSIZE, GEN_SH_SYMTAB, SH(SYMTAB)->sh_entsize = 16)
REFUSED(symtab_partial_entry, ELF_ERR_SYMTAB_ENTSIZE, GEN_SH_SYMTAB, SH(SYMTAB)->sh_size -= 1)
REFUSED(symtab_link_out_of_range, ELF_ERR_SYMTAB_LINK, GEN_SH_SYMTAB, SH(SYMTAB)->sh_link = GEN_SH_NUM)
REFUSED(symtab_link_zero, ELF_ERR_SYMTAB_LINK, GEN_SH_SYMTAB, SH(SYMTAB)->sh_link = 0)
REFUSED(symtab_link_not_strtab, ELF_ERR_SYMTAB_LINK, GEN_SH_SYMTAB, SH(SYMTAB)->sh_link = GEN_SH_TEXT)
REFUSED(strtab_empty, ELF_ERR_STRTAB_UNTERMINATED, GEN_SH_SYMTAB, SH(STRTAB)->sh_size = 0)
REFUSED(strtab_unterminated, ELF_ERR_STRTAB_UNTERMINATED, GEN_SH_SYMTAB, SH(STRTAB)->sh_size -= 1)
REFUSED(strtab_no_leading_nul, ELF_ERR_STRTAB_UNTERMINATED, GEN_SH_SYMTAB,
	elf_gen_bytes(&g)[g.strtab_off] = 'x')
REFUSED(symbol_name_past_strtab, ELF_ERR_SYM_NAME, GEN_SH_SYMTAB, SYM(BIGFN)->st_name = (uint32_t)g.strtab_size)

Test(elf, image_without_sections_parses_but_has_no_symbols)
{
	uint64_t addr;

	elf_gen_build(&g);
	elf_gen_ehdr(&g)->e_shnum = 0;
	elf_gen_ehdr(&g)->e_shoff = 0;
	cr_assert_eq(parse_with(g.size, &lim), ELF_OK);
	cr_assert_not(img.has_symtab);
	cr_assert_eq(elf_symbol(&img, elf_gen_bytes(&g), g.size, "sensors_main", &addr), ELF_ERR_NO_SYMTAB);
}

Test(elf, null_arguments)
{
	elf_gen_build(&g);
	cr_assert_eq(elf_parse(NULL, g.size, &lim, &img), ELF_ERR_ARG);
	cr_assert_eq(elf_parse(elf_gen_bytes(&g), g.size, NULL, &img), ELF_ERR_ARG);
	cr_assert_eq(elf_parse(elf_gen_bytes(&g), g.size, &lim, NULL), ELF_ERR_ARG);
}

Test(elf, refusal_clears_the_result)
{
	elf_gen_build(&g);
	cr_assert_eq(parse_with(g.size, &lim), ELF_OK);
	elf_gen_phdr(&g, GEN_PH_DATA)->p_flags = PF_R | PF_W | PF_X;
	cr_assert_eq(parse_with(g.size, &lim), ELF_ERR_SEG_WX);
	cr_assert_eq(img.file_size, 0, "a refused image must not look usable to elf_symbol");
}

Test(elf, image_at_odd_alignment)
{
	static uint8_t shifted[GEN_MAX_SIZE + 1];

	elf_gen_build(&g);
	memcpy(shifted + 1, elf_gen_bytes(&g), g.size);
	cr_assert_eq(elf_parse(shifted + 1, g.size, &lim, &img), ELF_OK);
	cr_assert_eq(img.entry, GEN_TEXT_VA);
	cr_assert_eq(img.n_segments, 2);
}
