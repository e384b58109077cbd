/*
 * ELF64 program images: a validating parser that only reads the image bytes.
 *
 * Accepted: little-endian AArch64 ELF64 static executables (ET_EXEC, OS ABI System V,
 * no program interpreter, no dynamic section) whose loadable segments are readable,
 * at most one of write and execute, page aligned consistently with their file offsets,
 * inside the caller's virtual-address window, in ascending order and sharing no 4 KiB
 * page. docs/elf.md lists every rule and the error each breach gives.
 *
 * Nothing here copies, maps or allocates: elf_parse() describes the segments and the
 * entry point, and elf_symbol() resolves a function symbol by name. The bytes may be at
 * any alignment (fields are read byte by byte, little-endian).
 */
#ifndef BULKHEAD_CORE_ELF_H
#define BULKHEAD_CORE_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"

enum elf_err {
	ELF_OK = 0,
	ELF_ERR_ARG,               /* NULL image or output */
	ELF_ERR_LIMITS,            /* limits: window empty or not page aligned, max_segments 0 or too big */
	/* File header */
	ELF_ERR_TRUNCATED,         /* smaller than an ELF64 file header */
	ELF_ERR_MAGIC,             /* not \x7fELF */
	ELF_ERR_CLASS,             /* not ELF64 */
	ELF_ERR_DATA,              /* not little-endian */
	ELF_ERR_VERSION,           /* ident or header version is not 1 (current) */
	ELF_ERR_OSABI,             /* OS ABI not System V, or ABI version not 0 */
	ELF_ERR_TYPE,              /* not ET_EXEC (relocatable, shared/PIE, core) */
	ELF_ERR_MACHINE,           /* not EM_AARCH64 */
	ELF_ERR_FLAGS,             /* e_flags not 0 (AArch64 defines none) */
	ELF_ERR_EHSIZE,            /* e_ehsize not 64 */
	ELF_ERR_PHENTSIZE,         /* e_phentsize not 56 */
	ELF_ERR_PHNUM,             /* no program headers, or extended numbering (0xffff) */
	ELF_ERR_PHDRS_OUTSIDE,     /* program header table not inside the file */
	ELF_ERR_SHENTSIZE,         /* e_shentsize not 64 while there are sections */
	ELF_ERR_SHNUM,             /* extended section numbering (e_shnum 0 with e_shoff set) */
	ELF_ERR_SHDRS_OUTSIDE,     /* section header table not inside the file */
	ELF_ERR_SHSTRNDX,          /* section-name table index out of range */
	ELF_ERR_SECTION_OUTSIDE,   /* a section's bytes are not inside the file */
	/* Program headers */
	ELF_ERR_INTERP,            /* PT_INTERP: wants a dynamic loader */
	ELF_ERR_DYNAMIC,           /* PT_DYNAMIC: not a static executable */
	ELF_ERR_PHDR_TYPE,         /* a program header type the loader does not know */
	ELF_ERR_EXEC_STACK,        /* PT_GNU_STACK asks for an executable stack */
	ELF_ERR_TLS_MULTIPLE,      /* more than one PT_TLS */
	ELF_ERR_TLS_SIZE,          /* PT_TLS: filesz > memsz, or memsz larger than the window */
	ELF_ERR_TLS_ALIGN,         /* PT_TLS alignment not a power of two (or 0) */
	ELF_ERR_TLS_OUTSIDE,       /* PT_TLS template not inside the file-backed part of a segment */
	/* Loadable segments */
	ELF_ERR_SEG_NONE,          /* no PT_LOAD at all */
	ELF_ERR_SEG_TOO_MANY,      /* more PT_LOAD than limits.max_segments */
	ELF_ERR_SEG_WX,            /* writable and executable */
	ELF_ERR_SEG_FLAGS,         /* flags not R, RW or RX (unreadable, or unknown bits) */
	ELF_ERR_SEG_EMPTY,         /* memsz 0 */
	ELF_ERR_SEG_FILESZ,        /* filesz > memsz */
	ELF_ERR_SEG_PAST_FILE,     /* file bytes [offset, offset + filesz) not inside the file */
	ELF_ERR_SEG_WRAP,          /* vaddr + memsz wraps around the address space */
	ELF_ERR_SEG_PADDR,         /* p_paddr != p_vaddr (linked to load from elsewhere, e.g. ROM) */
	ELF_ERR_SEG_ALIGN,         /* p_align not a power of two >= 4096 */
	ELF_ERR_SEG_ALIGN_MISMATCH,/* vaddr and offset disagree modulo p_align */
	ELF_ERR_SEG_WINDOW,        /* not inside [limits.va_min, limits.va_max) */
	ELF_ERR_SEG_ORDER,         /* not in ascending vaddr order */
	ELF_ERR_SEG_OVERLAP,       /* shares a 4 KiB page with the previous segment */
	ELF_ERR_ENTRY,             /* entry not in the file-backed part of an executable segment */
	ELF_ERR_ENTRY_ALIGN,       /* entry not 4-byte aligned */
	/* Symbols */
	ELF_ERR_SYMTAB_MULTIPLE,   /* more than one SHT_SYMTAB */
	ELF_ERR_SYMTAB_ENTSIZE,    /* symbol entry size not 24, or size not a multiple of it */
	ELF_ERR_SYMTAB_LINK,       /* symbol table's string table index out of range or not SHT_STRTAB */
	ELF_ERR_STRTAB_UNTERMINATED, /* string table empty, or first or last byte not NUL */
	ELF_ERR_SYM_NAME,          /* a symbol's name offset is outside its string table */
	ELF_ERR_IMAGE_MISMATCH,    /* elf_symbol: bytes are not the ones elf_parse described */
	ELF_ERR_NAME,              /* elf_symbol: name empty or longer than ELF_NAME_MAX - 1 */
	ELF_ERR_NO_SYMTAB,         /* no symbol table (stripped image) */
	ELF_ERR_SYM_NOT_FOUND,     /* no symbol of that name */
	ELF_ERR_SYM_AMBIGUOUS,     /* several defined global (or weak) functions of that name */
	ELF_ERR_SYM_LOCAL,         /* only a local (static) function of that name */
	ELF_ERR_SYM_NOT_FUNC,      /* the name is a symbol, but not STT_FUNC */
	ELF_ERR_SYM_UNDEFINED,     /* the function is undefined (SHN_UNDEF) */
	ELF_ERR_SYM_NOT_EXEC,      /* the function is not inside the file-backed part of an executable segment */
	ELF_ERR_SYM_ALIGN,         /* the function address is not 4-byte aligned */
	ELF_ERR_COUNT,
};

const char *elf_strerror(enum elf_err e);

#define ELF_MAX_SEGMENTS 8
#define ELF_PAGE_SIZE 4096u /* the granule segments are checked at */
#define ELF_NAME_MAX 64     /* symbol names looked up, with the NUL */
#define ELF_NO_INDEX 0xffffffffu

/* Segment flags: the values of ELF's PF_X, PF_W, PF_R. */
#define ELF_SEG_X 1u
#define ELF_SEG_W 2u
#define ELF_SEG_R 4u

/* The EL0 window segments must lie in: [va_min, va_max), both page aligned. */
struct elf_limits {
	uint64_t va_min, va_max;
	unsigned int max_segments; /* 1..ELF_MAX_SEGMENTS */
};

/*
 * One loadable segment: the file bytes [file_off, file_off + filesz) go at vaddr, the
 * rest up to memsz is zero. flags is ELF_SEG_R, R|W or R|X. filesz <= memsz, memsz > 0;
 * file_off is 0 when filesz is 0. The pages it covers are
 * [ALIGN_DOWN(vaddr, 4096), ALIGN_UP(vaddr + memsz, 4096)), inside the window and shared
 * with no other segment.
 */
struct elf_segment {
	uint64_t vaddr, memsz, file_off, filesz;
	uint32_t flags;
};

/* The thread-local storage template (PT_TLS), for the partition's own start-up code. */
struct elf_tls {
	bool present;
	uint64_t vaddr, filesz, memsz, align;
};

struct elf_image {
	uint64_t entry;
	unsigned int n_segments;
	struct elf_segment seg[ELF_MAX_SEGMENTS]; /* ascending vaddr */
	uint64_t mem_bytes; /* sum of the segments' page-rounded sizes */
	struct elf_tls tls;
	/* For elf_symbol(): the image's size and its symbol and string tables (file ranges). */
	uint64_t file_size;
	bool has_symtab;
	uint64_t symtab_off, symtab_size, strtab_off, strtab_size;
	/* On error: the program header or section index at fault, ELF_NO_INDEX if none. */
	unsigned int err_index;
};

/*
 * Validate the image bytes[0, size) against lim and describe it in *out. Reads only
 * those bytes; never writes anywhere but *out. On error *out holds err_index and
 * nothing else of use.
 */
enum elf_err elf_parse(const void *bytes, size_t size, const struct elf_limits *lim,
		       struct elf_image *out) __must_check;

/*
 * Resolve name (NUL-terminated, shorter than ELF_NAME_MAX) to the one defined global or
 * weak function symbol of that name in an image elf_parse() accepted, given the same
 * bytes and size. Local (static) functions are not entry points. On success *addr is
 * 4-byte aligned and inside the file-backed part of an executable segment.
 */
enum elf_err elf_symbol(const struct elf_image *img, const void *bytes, size_t size, const char *name,
			uint64_t *addr) __must_check;

#endif
