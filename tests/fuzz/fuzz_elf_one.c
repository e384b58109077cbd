/*
 * The ELF loader's promises, checked from the outside: an accepted image's segments are
 * re-read from the program headers with the host's <elf.h> and compared, and every
 * invariant core/elf.h states is asserted. Any input may be refused, but none may be
 * accepted with a broken promise.
 */
#include <elf.h>
#include <string.h>
#include "fuzz_elf.h"

const struct elf_limits fuzz_elf_limits = { 0x400000, 0x40000000, ELF_MAX_SEGMENTS };

static const char *const names[] = {
	"_start", "sensors_main", "logger_main", "tick", "helper", "dup", "twice", "counter",
	"ext", "odd", "indata", "bigfn", "missing", "tvar",
};

#define PAGE 4096ull

static bool in_exec(const struct elf_image *img, uint64_t va)
{
	for (unsigned int i = 0; i < img->n_segments; i++) {
		const struct elf_segment *s = &img->seg[i];

		if ((s->flags & ELF_SEG_X) && va >= s->vaddr &&
		    s->filesz >= 4 && va - s->vaddr <= s->filesz - 4)
			return true;
	}
	return false;
}

/* The segments as the program headers say, in order, compared with the result. */
static const char *same_as_phdrs(const uint8_t *b, size_t size, const struct elf_image *img)
{
	Elf64_Ehdr eh;
	unsigned int n = 0;

	memcpy(&eh, b, sizeof(eh));
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, b + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD)
			continue;
		if (n >= img->n_segments)
			return "more PT_LOAD than segments";
		if (img->seg[n].vaddr != ph.p_vaddr || img->seg[n].memsz != ph.p_memsz ||
		    img->seg[n].filesz != ph.p_filesz || img->seg[n].flags != ph.p_flags ||
		    (ph.p_filesz && img->seg[n].file_off != ph.p_offset))
			return "segment differs from its program header";
		n++;
	}
	if (n != img->n_segments || eh.e_entry != img->entry || img->file_size != size)
		return "segment count, entry or size differs from the headers";
	return NULL;
}

static const char *check_segments(const struct elf_image *img, size_t size)
{
	const struct elf_limits *lim = &fuzz_elf_limits;
	uint64_t mem = 0;

	if (img->n_segments < 1 || img->n_segments > lim->max_segments)
		return "segment count out of range";
	for (unsigned int i = 0; i < img->n_segments; i++) {
		const struct elf_segment *s = &img->seg[i];
		uint64_t lo = s->vaddr & ~(PAGE - 1), hi;

		if (s->flags != ELF_SEG_R && s->flags != (ELF_SEG_R | ELF_SEG_W) &&
		    s->flags != (ELF_SEG_R | ELF_SEG_X))
			return "segment flags not R, RW or RX";
		if (s->memsz == 0 || s->filesz > s->memsz)
			return "segment sizes";
		if (s->file_off > size || s->filesz > size - s->file_off || (!s->filesz && s->file_off))
			return "segment file range outside the file";
		if (s->vaddr > UINT64_MAX - s->memsz)
			return "segment wraps";
		hi = (s->vaddr + s->memsz + PAGE - 1) & ~(PAGE - 1);
		if (lo < lim->va_min || hi > lim->va_max)
			return "segment outside the window";
		if (i && lo < ((img->seg[i - 1].vaddr + img->seg[i - 1].memsz + PAGE - 1) & ~(PAGE - 1)))
			return "segments share a page or are out of order";
		mem += hi - lo;
	}
	if (mem != img->mem_bytes)
		return "mem_bytes is not the sum of the segments";
	if (!in_exec(img, img->entry) || (img->entry & 3))
		return "entry not in executable code";
	if (img->has_symtab && (img->symtab_off > size || img->symtab_size > size - img->symtab_off ||
				img->strtab_off > size || img->strtab_size > size - img->strtab_off))
		return "symbol tables outside the file";
	return NULL;
}

const char *fuzz_elf_one(const void *bytes, size_t size, enum elf_err *err)
{
	static struct elf_image img;
	const char *bad;

	*err = elf_parse(bytes, size, &fuzz_elf_limits, &img);
	if ((unsigned int)*err >= ELF_ERR_COUNT)
		return "error value out of range";
	if (*err != ELF_OK)
		return NULL;
	if ((bad = check_segments(&img, size)) || (bad = same_as_phdrs(bytes, size, &img)))
		return bad;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint64_t addr = 0;
		enum elf_err e = elf_symbol(&img, bytes, size, names[i], &addr);

		if ((unsigned int)e >= ELF_ERR_COUNT)
			return "symbol error out of range";
		if (e == ELF_OK && (!in_exec(&img, addr) || (addr & 3)))
			return "symbol resolved outside executable code";
	}
	return NULL;
}
