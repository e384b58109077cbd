/*
 * ELF64 parser for partition programs. Every field is read byte by byte from the image
 * (little-endian, any alignment), every offset and size is checked against the file
 * before it is used, and every sum is checked for wrap-around first: a hostile image can
 * only earn an error value. The checks run in a fixed order (docs/elf.md), so a given
 * defect always gives the same error.
 */
#include "core/elf.h"

/* ELF64 layout (System V gABI, AArch64 ELF ABI): field offsets and constants. */
enum {
	EI_MAG0 = 0, EI_CLASS = 4, EI_DATA = 5, EI_VERSION = 6, EI_OSABI = 7, EI_ABIVERSION = 8,
	EH_TYPE = 16, EH_MACHINE = 18, EH_VERSION = 20, EH_ENTRY = 24, EH_PHOFF = 32,
	EH_SHOFF = 40, EH_FLAGS = 48, EH_EHSIZE = 52, EH_PHENTSIZE = 54, EH_PHNUM = 56,
	EH_SHENTSIZE = 58, EH_SHNUM = 60, EH_SHSTRNDX = 62, EH_SIZE = 64,
};
enum {
	PH_TYPE = 0, PH_FLAGS = 4, PH_OFFSET = 8, PH_VADDR = 16, PH_PADDR = 24, PH_FILESZ = 32,
	PH_MEMSZ = 40, PH_ALIGN = 48, PH_SIZE = 56,
};
enum {
	SH_TYPE = 4, SH_OFFSET = 24, SH_SIZE = 32, SH_LINK = 40, SH_ENTSIZE = 56, SH_HDR_SIZE = 64,
};
enum { ST_NAME = 0, ST_INFO = 4, ST_SHNDX = 6, ST_VALUE = 8, ST_SIZE = 16, SYM_SIZE = 24 };

#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ELFOSABI_SYSV 0
#define ET_EXEC 2
#define EM_AARCH64 183
#define PN_XNUM 0xffffu
#define SHN_UNDEF 0u
#define SHN_LORESERVE 0xff00u

#define PT_NULL 0u
#define PT_LOAD 1u
#define PT_DYNAMIC 2u
#define PT_INTERP 3u
#define PT_NOTE 4u
#define PT_SHLIB 5u
#define PT_PHDR 6u
#define PT_TLS 7u
#define PT_GNU_EH_FRAME 0x6474e550u
#define PT_GNU_STACK 0x6474e551u
#define PT_GNU_RELRO 0x6474e552u
#define PT_GNU_PROPERTY 0x6474e553u

#define PF_X 1u
#define PF_W 2u
#define PF_R 4u

#define SHT_NULL 0u
#define SHT_SYMTAB 2u
#define SHT_STRTAB 3u
#define SHT_NOBITS 8u

#define STT_FUNC 2u
#define STB_LOCAL 0u
#define STB_GLOBAL 1u
#define STB_WEAK 2u

STATIC_ASSERT(ELF_SEG_X == PF_X && ELF_SEG_W == PF_W && ELF_SEG_R == PF_R,
	      "segment flags are ELF's PF_* values");

static const char *const elf_err_names[ELF_ERR_COUNT] = {
	[ELF_OK] = "ok",
	[ELF_ERR_ARG] = "no image or no output",
	[ELF_ERR_LIMITS] = "bad loader limits",
	[ELF_ERR_TRUNCATED] = "smaller than an ELF64 header",
	[ELF_ERR_MAGIC] = "not an ELF file",
	[ELF_ERR_CLASS] = "not ELF64",
	[ELF_ERR_DATA] = "not little-endian",
	[ELF_ERR_VERSION] = "unknown ELF version",
	[ELF_ERR_OSABI] = "OS ABI not System V",
	[ELF_ERR_TYPE] = "not a static executable (ET_EXEC)",
	[ELF_ERR_MACHINE] = "not AArch64",
	[ELF_ERR_FLAGS] = "unknown processor flags",
	[ELF_ERR_EHSIZE] = "bad ELF header size",
	[ELF_ERR_PHENTSIZE] = "bad program header size",
	[ELF_ERR_PHNUM] = "no program headers, or too many",
	[ELF_ERR_PHDRS_OUTSIDE] = "program headers outside the file",
	[ELF_ERR_SHENTSIZE] = "bad section header size",
	[ELF_ERR_SHNUM] = "extended section numbering",
	[ELF_ERR_SHDRS_OUTSIDE] = "section headers outside the file",
	[ELF_ERR_SHSTRNDX] = "section name table index out of range",
	[ELF_ERR_SECTION_OUTSIDE] = "section outside the file",
	[ELF_ERR_INTERP] = "needs a program interpreter (dynamically linked)",
	[ELF_ERR_DYNAMIC] = "has a dynamic section (not static)",
	[ELF_ERR_PHDR_TYPE] = "unsupported program header type",
	[ELF_ERR_EXEC_STACK] = "asks for an executable stack",
	[ELF_ERR_TLS_MULTIPLE] = "more than one TLS segment",
	[ELF_ERR_TLS_SIZE] = "bad TLS segment size",
	[ELF_ERR_TLS_ALIGN] = "TLS alignment not a power of two",
	[ELF_ERR_TLS_OUTSIDE] = "TLS template outside the loaded segments",
	[ELF_ERR_SEG_NONE] = "no loadable segment",
	[ELF_ERR_SEG_TOO_MANY] = "too many loadable segments",
	[ELF_ERR_SEG_WX] = "segment both writable and executable",
	[ELF_ERR_SEG_FLAGS] = "segment flags not R, RW or RX",
	[ELF_ERR_SEG_EMPTY] = "segment of size 0",
	[ELF_ERR_SEG_FILESZ] = "segment file size larger than its memory size",
	[ELF_ERR_SEG_PAST_FILE] = "segment bytes outside the file",
	[ELF_ERR_SEG_WRAP] = "segment wraps around the address space",
	[ELF_ERR_SEG_PADDR] = "segment load address differs from its virtual address",
	[ELF_ERR_SEG_ALIGN] = "segment alignment not a power of two of at least 4096",
	[ELF_ERR_SEG_ALIGN_MISMATCH] = "segment address and file offset not congruent",
	[ELF_ERR_SEG_WINDOW] = "segment outside the partition address window",
	[ELF_ERR_SEG_ORDER] = "segments not in address order",
	[ELF_ERR_SEG_OVERLAP] = "segments share a page",
	[ELF_ERR_ENTRY] = "entry point not in executable code",
	[ELF_ERR_ENTRY_ALIGN] = "entry point not 4-byte aligned",
	[ELF_ERR_SYMTAB_MULTIPLE] = "more than one symbol table",
	[ELF_ERR_SYMTAB_ENTSIZE] = "bad symbol table entry size",
	[ELF_ERR_SYMTAB_LINK] = "symbol table has no string table",
	[ELF_ERR_STRTAB_UNTERMINATED] = "string table not NUL-terminated",
	[ELF_ERR_SYM_NAME] = "symbol name outside the string table",
	[ELF_ERR_IMAGE_MISMATCH] = "image does not match its description",
	[ELF_ERR_NAME] = "symbol name empty or too long",
	[ELF_ERR_NO_SYMTAB] = "no symbol table (stripped)",
	[ELF_ERR_SYM_NOT_FOUND] = "no such symbol",
	[ELF_ERR_SYM_AMBIGUOUS] = "several functions of that name",
	[ELF_ERR_SYM_LOCAL] = "function is local (static), not an entry point",
	[ELF_ERR_SYM_NOT_FUNC] = "symbol is not a function",
	[ELF_ERR_SYM_UNDEFINED] = "function is undefined",
	[ELF_ERR_SYM_NOT_EXEC] = "function not in executable code",
	[ELF_ERR_SYM_ALIGN] = "function not 4-byte aligned",
};

const char *elf_strerror(enum elf_err e)
{
	return (unsigned int)e < ELF_ERR_COUNT && elf_err_names[e] ? elf_err_names[e] : "unknown error";
}

/* Little-endian loads at any alignment; callers have checked p + width is in the file. */
static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (unsigned int)p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16;
}

static uint64_t rd64(const uint8_t *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* [off, off + len) inside a file of size bytes, without wrap-around. */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* The parser's working state: the bytes, the limits, the result being built. */
struct parse {
	const uint8_t *b;
	uint64_t size;
	const struct elf_limits *lim;
	struct elf_image *img;
};

static enum elf_err check_ident(const uint8_t *b)
{
	if (b[EI_MAG0] != 0x7f || b[EI_MAG0 + 1] != 'E' || b[EI_MAG0 + 2] != 'L' || b[EI_MAG0 + 3] != 'F')
		return ELF_ERR_MAGIC;
	if (b[EI_CLASS] != ELFCLASS64)
		return ELF_ERR_CLASS;
	if (b[EI_DATA] != ELFDATA2LSB)
		return ELF_ERR_DATA;
	if (b[EI_VERSION] != EV_CURRENT)
		return ELF_ERR_VERSION;
	if (b[EI_OSABI] != ELFOSABI_SYSV || b[EI_ABIVERSION] != 0)
		return ELF_ERR_OSABI;
	return ELF_OK;
}

static enum elf_err check_header(const struct parse *p)
{
	const uint8_t *b = p->b;
	enum elf_err e = check_ident(b);
	uint64_t phnum = rd16(b + EH_PHNUM), shnum = rd16(b + EH_SHNUM), shoff = rd64(b + EH_SHOFF);
	uint64_t shstrndx = rd16(b + EH_SHSTRNDX);

	if (e != ELF_OK)
		return e;
	if (rd16(b + EH_TYPE) != ET_EXEC)
		return ELF_ERR_TYPE;
	if (rd16(b + EH_MACHINE) != EM_AARCH64)
		return ELF_ERR_MACHINE;
	if (rd32(b + EH_VERSION) != EV_CURRENT)
		return ELF_ERR_VERSION;
	if (rd32(b + EH_FLAGS) != 0)
		return ELF_ERR_FLAGS;
	if (rd16(b + EH_EHSIZE) != EH_SIZE)
		return ELF_ERR_EHSIZE;
	if (rd16(b + EH_PHENTSIZE) != PH_SIZE)
		return ELF_ERR_PHENTSIZE;
	if (phnum == 0 || phnum == PN_XNUM)
		return ELF_ERR_PHNUM;
	if (!in_file(rd64(b + EH_PHOFF), phnum * PH_SIZE, p->size))
		return ELF_ERR_PHDRS_OUTSIDE;
	if (shnum == 0)
		return shoff != 0 ? ELF_ERR_SHNUM : ELF_OK; /* no sections: no symbols */
	if (rd16(b + EH_SHENTSIZE) != SH_HDR_SIZE)
		return ELF_ERR_SHENTSIZE;
	if (!in_file(shoff, shnum * SH_HDR_SIZE, p->size))
		return ELF_ERR_SHDRS_OUTSIDE;
	if (shstrndx >= shnum)
		return ELF_ERR_SHSTRNDX; /* also SHN_XINDEX, which extended numbering needs */
	return ELF_OK;
}

/* A PT_LOAD: checked on its own, then against the window and the previous segment. */
static enum elf_err add_load(struct parse *p, const uint8_t *ph)
{
	const struct elf_limits *lim = p->lim;
	struct elf_image *img = p->img;
	uint32_t flags = rd32(ph + PH_FLAGS);
	uint64_t off = rd64(ph + PH_OFFSET), vaddr = rd64(ph + PH_VADDR);
	uint64_t filesz = rd64(ph + PH_FILESZ), memsz = rd64(ph + PH_MEMSZ), align = rd64(ph + PH_ALIGN);
	struct elf_segment *s;

	if (img->n_segments == lim->max_segments)
		return ELF_ERR_SEG_TOO_MANY;
	if ((flags & (PF_W | PF_X)) == (PF_W | PF_X))
		return ELF_ERR_SEG_WX;
	if ((flags & ~(PF_R | PF_W | PF_X)) || !(flags & PF_R))
		return ELF_ERR_SEG_FLAGS;
	if (memsz == 0)
		return ELF_ERR_SEG_EMPTY;
	if (filesz > memsz)
		return ELF_ERR_SEG_FILESZ;
	if (filesz && !in_file(off, filesz, p->size))
		return ELF_ERR_SEG_PAST_FILE;
	if (memsz > UINT64_MAX - vaddr)
		return ELF_ERR_SEG_WRAP;
	if (rd64(ph + PH_PADDR) != vaddr)
		return ELF_ERR_SEG_PADDR;
	if (!is_pow2(align) || align < ELF_PAGE_SIZE)
		return ELF_ERR_SEG_ALIGN;
	if ((vaddr & (align - 1)) != (off & (align - 1)))
		return ELF_ERR_SEG_ALIGN_MISMATCH;
	/* The window is page aligned, so this bounds the page-rounded range too. */
	if (vaddr < lim->va_min || vaddr + memsz > lim->va_max)
		return ELF_ERR_SEG_WINDOW;
	if (img->n_segments) {
		const struct elf_segment *prev = &img->seg[img->n_segments - 1];

		if (vaddr <= prev->vaddr)
			return ELF_ERR_SEG_ORDER;
		if (ALIGN_DOWN(vaddr, (uint64_t)ELF_PAGE_SIZE) <
		    ALIGN_UP(prev->vaddr + prev->memsz, (uint64_t)ELF_PAGE_SIZE))
			return ELF_ERR_SEG_OVERLAP;
	}
	s = &img->seg[img->n_segments++];
	*s = (struct elf_segment){ vaddr, memsz, filesz ? off : 0, filesz, flags };
	img->mem_bytes += ALIGN_UP(vaddr + memsz, (uint64_t)ELF_PAGE_SIZE) -
			  ALIGN_DOWN(vaddr, (uint64_t)ELF_PAGE_SIZE);
	return ELF_OK;
}

/* A PT_TLS: kept for the partition's start-up code; its template must be loaded. */
static enum elf_err add_tls(struct parse *p, const uint8_t *ph)
{
	struct elf_tls *t = &p->img->tls;
	uint64_t filesz = rd64(ph + PH_FILESZ), memsz = rd64(ph + PH_MEMSZ), align = rd64(ph + PH_ALIGN);

	if (t->present)
		return ELF_ERR_TLS_MULTIPLE;
	if (filesz > memsz || memsz > p->lim->va_max - p->lim->va_min)
		return ELF_ERR_TLS_SIZE;
	if (align > 1 && !is_pow2(align))
		return ELF_ERR_TLS_ALIGN;
	*t = (struct elf_tls){ true, rd64(ph + PH_VADDR), filesz, memsz, align };
	return ELF_OK;
}

/* The segment with all of want whose file-backed part holds [va, va + len), or NULL. */
static const struct elf_segment *find_backed(const struct elf_image *img, uint64_t va, uint64_t len,
					     uint32_t want)
{
	for (unsigned int i = 0; i < img->n_segments && i < ELF_MAX_SEGMENTS; i++) {
		const struct elf_segment *s = &img->seg[i];

		if ((s->flags & want) == want && va >= s->vaddr && va - s->vaddr < s->filesz &&
		    len <= s->filesz - (va - s->vaddr))
			return s;
	}
	return NULL;
}

static enum elf_err check_tls_template(const struct parse *p, const uint8_t *ph)
{
	const struct elf_tls *t = &p->img->tls;
	const struct elf_segment *s;

	if (!t->filesz)
		return ELF_OK;
	s = find_backed(p->img, t->vaddr, t->filesz, ELF_SEG_R);
	/* The template's file offset must be where that segment puts its address. */
	if (!s || rd64(ph + PH_OFFSET) != s->file_off + (t->vaddr - s->vaddr))
		return ELF_ERR_TLS_OUTSIDE;
	return ELF_OK;
}

static enum elf_err check_phdr(struct parse *p, const uint8_t *ph)
{
	switch (rd32(ph + PH_TYPE)) {
	case PT_LOAD:
		return add_load(p, ph);
	case PT_TLS:
		return add_tls(p, ph);
	case PT_INTERP:
		return ELF_ERR_INTERP;
	case PT_DYNAMIC:
		return ELF_ERR_DYNAMIC;
	case PT_GNU_STACK:
		return rd32(ph + PH_FLAGS) & PF_X ? ELF_ERR_EXEC_STACK : ELF_OK;
	case PT_NULL:
	case PT_NOTE:
	case PT_PHDR:
	case PT_GNU_EH_FRAME:
	case PT_GNU_RELRO:
	case PT_GNU_PROPERTY:
		return ELF_OK; /* information only; nothing to load or enforce */
	default:
		return ELF_ERR_PHDR_TYPE; /* PT_SHLIB, PT_AARCH64_MEMTAG_MTE, unknown */
	}
}

static enum elf_err check_phdrs(struct parse *p)
{
	const uint8_t *table = p->b + rd64(p->b + EH_PHOFF), *tls = NULL;
	unsigned int phnum = rd16(p->b + EH_PHNUM);
	enum elf_err e;

	for (unsigned int i = 0; i < phnum; i++) {
		const uint8_t *ph = table + (uint64_t)i * PH_SIZE;

		if ((e = check_phdr(p, ph)) != ELF_OK) {
			p->img->err_index = i;
			return e;
		}
		if (rd32(ph + PH_TYPE) == PT_TLS)
			tls = ph;
	}
	if (p->img->n_segments == 0)
		return ELF_ERR_SEG_NONE;
	/* The template is checked once every segment is known. */
	if (tls && (e = check_tls_template(p, tls)) != ELF_OK) {
		p->img->err_index = (unsigned int)((tls - table) / PH_SIZE);
		return e;
	}
	return ELF_OK;
}

static enum elf_err check_entry(const struct elf_image *img)
{
	if (!find_backed(img, img->entry, 4, ELF_SEG_X))
		return ELF_ERR_ENTRY;
	if (img->entry & 3)
		return ELF_ERR_ENTRY_ALIGN;
	return ELF_OK;
}

static const uint8_t *shdr(const struct parse *p, uint64_t i)
{
	return p->b + rd64(p->b + EH_SHOFF) + i * SH_HDR_SIZE;
}

/* The symbol table's own shape, its string table, and every symbol's name offset. */
static enum elf_err check_symtab(struct parse *p, const uint8_t *sh, uint64_t shnum)
{
	struct elf_image *img = p->img;
	uint64_t link = rd32(sh + SH_LINK);
	const uint8_t *str;

	if (rd64(sh + SH_ENTSIZE) != SYM_SIZE || rd64(sh + SH_SIZE) % SYM_SIZE)
		return ELF_ERR_SYMTAB_ENTSIZE;
	if (link == SHN_UNDEF || link >= shnum || rd32(shdr(p, link) + SH_TYPE) != SHT_STRTAB)
		return ELF_ERR_SYMTAB_LINK;
	img->symtab_off = rd64(sh + SH_OFFSET);
	img->symtab_size = rd64(sh + SH_SIZE);
	img->strtab_off = rd64(shdr(p, link) + SH_OFFSET);
	img->strtab_size = rd64(shdr(p, link) + SH_SIZE);
	str = p->b + img->strtab_off; /* in the file: every section was checked */
	if (img->strtab_size == 0 || str[0] != 0 || str[img->strtab_size - 1] != 0)
		return ELF_ERR_STRTAB_UNTERMINATED;
	for (uint64_t o = 0; o < img->symtab_size; o += SYM_SIZE) {
		if (rd32(p->b + img->symtab_off + o + ST_NAME) >= img->strtab_size)
			return ELF_ERR_SYM_NAME;
	}
	img->has_symtab = true;
	return ELF_OK;
}

static enum elf_err check_sections(struct parse *p)
{
	uint64_t shnum = rd16(p->b + EH_SHNUM), symtab = ELF_NO_INDEX;
	enum elf_err e;

	for (uint64_t i = 0; i < shnum; i++) {
		const uint8_t *sh = shdr(p, i);
		uint32_t type = rd32(sh + SH_TYPE);

		p->img->err_index = (unsigned int)i;
		if (type != SHT_NULL && type != SHT_NOBITS &&
		    !in_file(rd64(sh + SH_OFFSET), rd64(sh + SH_SIZE), p->size))
			return ELF_ERR_SECTION_OUTSIDE;
		if (type == SHT_SYMTAB && symtab != ELF_NO_INDEX)
			return ELF_ERR_SYMTAB_MULTIPLE;
		if (type == SHT_SYMTAB)
			symtab = i;
	}
	p->img->err_index = ELF_NO_INDEX;
	if (symtab == ELF_NO_INDEX)
		return ELF_OK;
	if ((e = check_symtab(p, shdr(p, symtab), shnum)) != ELF_OK)
		p->img->err_index = (unsigned int)symtab;
	return e;
}

static bool limits_ok(const struct elf_limits *lim)
{
	return lim->va_min < lim->va_max && IS_ALIGNED(lim->va_min, (uint64_t)ELF_PAGE_SIZE) &&
	       IS_ALIGNED(lim->va_max, (uint64_t)ELF_PAGE_SIZE) && lim->max_segments >= 1 &&
	       lim->max_segments <= ELF_MAX_SEGMENTS;
}

enum elf_err elf_parse(const void *bytes, size_t size, const struct elf_limits *lim, struct elf_image *out)
{
	struct parse p = { bytes, size, lim, out };
	enum elf_err e;

	if (!out)
		return ELF_ERR_ARG;
	*out = (struct elf_image){ .err_index = ELF_NO_INDEX };
	if (!bytes || !lim)
		return ELF_ERR_ARG;
	if (!limits_ok(lim))
		return ELF_ERR_LIMITS;
	if (size < EH_SIZE)
		return ELF_ERR_TRUNCATED;
	if ((e = check_header(&p)) != ELF_OK || (e = check_phdrs(&p)) != ELF_OK)
		return e;
	out->entry = rd64(p.b + EH_ENTRY);
	if ((e = check_entry(out)) != ELF_OK || (e = check_sections(&p)) != ELF_OK)
		return e;
	out->file_size = size;
	return ELF_OK;
}

/* The symbol table as elf_parse() recorded it, still inside these bytes. */
static bool tables_ok(const struct elf_image *img, size_t size)
{
	return img->file_size == size && img->has_symtab &&
	       in_file(img->symtab_off, img->symtab_size, size) && img->symtab_size % SYM_SIZE == 0 &&
	       in_file(img->strtab_off, img->strtab_size, size) && img->strtab_size > 0;
}

/* The string at strtab offset off equals name[0, len] (NUL included), within the table. */
static bool name_is(const struct elf_image *img, const uint8_t *b, uint64_t off, const char *name, size_t len)
{
	if (off >= img->strtab_size || len >= img->strtab_size - off)
		return false;
	for (size_t i = 0; i <= len; i++) {
		if (b[img->strtab_off + off + i] != (uint8_t)name[i])
			return false;
	}
	return true;
}

/* What a scan for one name found: the defined global or weak functions, and why the
 * others do not count (for a precise error when there is no such function). */
struct sym_match {
	unsigned int n;
	uint64_t at; /* symbol table offset of the first */
	bool local, undefined, not_func;
};

static void classify(const uint8_t *sym, uint64_t o, struct sym_match *m)
{
	unsigned int type = sym[ST_INFO] & 0xf, bind = sym[ST_INFO] >> 4;

	if (type != STT_FUNC)
		m->not_func = true;
	else if (rd16(sym + ST_SHNDX) == SHN_UNDEF)
		m->undefined = true;
	else if (bind == STB_LOCAL)
		m->local = true;
	else if ((bind == STB_GLOBAL || bind == STB_WEAK) && m->n++ == 0)
		m->at = o;
}

enum elf_err elf_symbol(const struct elf_image *img, const void *bytes, size_t size, const char *name,
			uint64_t *addr)
{
	const uint8_t *b = bytes;
	struct sym_match m = { 0 };
	size_t len;
	uint64_t at, value, span;

	if (!img || !bytes || !name || !addr)
		return ELF_ERR_ARG;
	for (len = 0; len < ELF_NAME_MAX && name[len]; len++)
		;
	if (len == 0 || len == ELF_NAME_MAX)
		return ELF_ERR_NAME;
	if (img->file_size != size)
		return ELF_ERR_IMAGE_MISMATCH;
	if (!img->has_symtab)
		return ELF_ERR_NO_SYMTAB;
	if (!tables_ok(img, size))
		return ELF_ERR_IMAGE_MISMATCH;
	/* Entry 0 is the reserved null symbol. */
	for (uint64_t o = SYM_SIZE; o < img->symtab_size; o += SYM_SIZE) {
		const uint8_t *sym = b + img->symtab_off + o;

		if (name_is(img, b, rd32(sym + ST_NAME), name, len))
			classify(sym, o, &m);
	}
	if (m.n > 1)
		return ELF_ERR_SYM_AMBIGUOUS;
	if (m.n == 0)
		return m.local ? ELF_ERR_SYM_LOCAL : m.undefined ? ELF_ERR_SYM_UNDEFINED :
		       m.not_func ? ELF_ERR_SYM_NOT_FUNC : ELF_ERR_SYM_NOT_FOUND;
	at = img->symtab_off + m.at;
	value = rd64(b + at + ST_VALUE);
	span = rd64(b + at + ST_SIZE);
	if (!find_backed(img, value, span < 4 ? 4 : span, ELF_SEG_X))
		return ELF_ERR_SYM_NOT_EXEC;
	if (value & 3)
		return ELF_ERR_SYM_ALIGN;
	*addr = value;
	return ELF_OK;
}
