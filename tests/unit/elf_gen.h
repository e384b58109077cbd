/*
 * A small, valid AArch64 static executable built in memory for the ELF loader tests,
 * with named places (program headers, sections, symbols) the tests break one at a
 * time. Written with the host's <elf.h>, independently of core/elf.c's own layout.
 *
 *   file 0x0000  ELF header, 5 program headers
 *        0x1000  .text  (RX segment: vaddr 0x401000, 0x100 bytes)
 *        0x2000  .data  (RW segment: vaddr 0x402000, 0x10 bytes in the file, 0x2000 in memory)
 *        0x2100  .symtab, .strtab, .shstrtab, section headers
 */
#ifndef BULKHEAD_TESTS_UNIT_ELF_GEN_H
#define BULKHEAD_TESTS_UNIT_ELF_GEN_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#define GEN_TEXT_OFF 0x1000u
#define GEN_TEXT_VA 0x401000u
#define GEN_TEXT_SIZE 0x100u
#define GEN_DATA_OFF 0x2000u
#define GEN_DATA_VA 0x402000u
#define GEN_DATA_FILESZ 0x10u
#define GEN_DATA_MEMSZ 0x2000u
#define GEN_MAX_SIZE 0x3000u

enum gen_ph { GEN_PH_TEXT, GEN_PH_DATA, GEN_PH_STACK, GEN_PH_SPARE, GEN_PH_SPARE2, GEN_PH_NUM };
enum gen_sh { GEN_SH_NULL, GEN_SH_TEXT, GEN_SH_DATA, GEN_SH_BSS, GEN_SH_SYMTAB, GEN_SH_STRTAB,
	      GEN_SH_SHSTRTAB, GEN_SH_NUM };

/* The symbols, by index in .symtab (0 is the null symbol). */
enum gen_sym {
	GEN_SYM_NULL,
	GEN_SYM_SENSORS,   /* sensors_main: global function at 0x401000, 0x20 bytes */
	GEN_SYM_LOGGER,    /* logger_main: global function at 0x401020 */
	GEN_SYM_COUNTER,   /* counter: global object in .data */
	GEN_SYM_HELPER,    /* helper: local (static) function at 0x401040 */
	GEN_SYM_DUP1,      /* dup: local function at 0x401050 */
	GEN_SYM_DUP2,      /* dup: another local function at 0x401060 */
	GEN_SYM_EXT,       /* ext: undefined global function */
	GEN_SYM_ODD,       /* odd: global function at 0x401042 (misaligned) */
	GEN_SYM_INDATA,    /* indata: global function at 0x402000 (in the RW segment) */
	GEN_SYM_TICK_L,    /* tick: local function at 0x401070 */
	GEN_SYM_TICK_G,    /* tick: global function at 0x401080 (the entry point) */
	GEN_SYM_TWICE_G,   /* twice: global function at 0x401090 */
	GEN_SYM_TWICE_W,   /* twice: weak function at 0x4010a0 */
	GEN_SYM_BIGFN,     /* bigfn: global function at 0x4010f0, 0x100 bytes (past .text) */
	GEN_SYM_NUM
};

struct elf_gen {
	uint64_t buf[GEN_MAX_SIZE / 8];
	size_t size;
	size_t symtab_off, strtab_off, strtab_size, shoff;
};

void elf_gen_build(struct elf_gen *g);
Elf64_Ehdr *elf_gen_ehdr(struct elf_gen *g);
Elf64_Phdr *elf_gen_phdr(struct elf_gen *g, enum gen_ph i);
Elf64_Shdr *elf_gen_shdr(struct elf_gen *g, enum gen_sh i);
Elf64_Sym *elf_gen_sym(struct elf_gen *g, enum gen_sym i);
uint8_t *elf_gen_bytes(struct elf_gen *g);

#endif
