#include <string.h>
#include "elf_gen.h"

static const struct {
	const char *name;
	unsigned char bind, type;
	uint16_t shndx;
	uint64_t value, size;
} syms[GEN_SYM_NUM] = {
	[GEN_SYM_SENSORS] = { "sensors_main", STB_GLOBAL, STT_FUNC, GEN_SH_TEXT, 0x401000, 0x20 },
	[GEN_SYM_LOGGER] = { "logger_main", STB_GLOBAL, STT_FUNC, GEN_SH_TEXT, 0x401020, 0x20 },
	[GEN_SYM_COUNTER] = { "counter", STB_GLOBAL, STT_OBJECT, GEN_SH_DATA, 0x402000, 4 },
	[GEN_SYM_HELPER] = { "helper", STB_LOCAL, STT_FUNC, GEN_SH_TEXT, 0x401040, 0x10 },
	[GEN_SYM_DUP1] = { "dup", STB_LOCAL, STT_FUNC, GEN_SH_TEXT, 0x401050, 0x10 },
	[GEN_SYM_DUP2] = { "dup", STB_LOCAL, STT_FUNC, GEN_SH_TEXT, 0x401060, 0x10 },
	[GEN_SYM_EXT] = { "ext", STB_GLOBAL, STT_FUNC, SHN_UNDEF, 0, 0 },
	[GEN_SYM_ODD] = { "odd", STB_GLOBAL, STT_FUNC, GEN_SH_TEXT, 0x401042, 0 },
	[GEN_SYM_INDATA] = { "indata", STB_GLOBAL, STT_FUNC, GEN_SH_DATA, 0x402000, 4 },
	[GEN_SYM_TICK_L] = { "tick", STB_LOCAL, STT_FUNC, GEN_SH_TEXT, 0x401070, 0x10 },
	[GEN_SYM_TICK_G] = { "tick", STB_GLOBAL, STT_FUNC, GEN_SH_TEXT, 0x401080, 0x10 },
	[GEN_SYM_TWICE_G] = { "twice", STB_GLOBAL, STT_FUNC, GEN_SH_TEXT, 0x401090, 0x10 },
	[GEN_SYM_TWICE_W] = { "twice", STB_WEAK, STT_FUNC, GEN_SH_TEXT, 0x4010a0, 0x10 },
	[GEN_SYM_BIGFN] = { "bigfn", STB_GLOBAL, STT_FUNC, GEN_SH_TEXT, 0x4010f0, 0x100 },
};

static const char *const sec_names[GEN_SH_NUM] = {
	"", ".text", ".data", ".bss", ".symtab", ".strtab", ".shstrtab",
};

uint8_t *elf_gen_bytes(struct elf_gen *g)
{
	return (uint8_t *)g->buf;
}

Elf64_Ehdr *elf_gen_ehdr(struct elf_gen *g)
{
	return (Elf64_Ehdr *)g->buf;
}

Elf64_Phdr *elf_gen_phdr(struct elf_gen *g, enum gen_ph i)
{
	return (Elf64_Phdr *)(elf_gen_bytes(g) + sizeof(Elf64_Ehdr)) + i;
}

Elf64_Shdr *elf_gen_shdr(struct elf_gen *g, enum gen_sh i)
{
	return (Elf64_Shdr *)(elf_gen_bytes(g) + g->shoff) + i;
}

Elf64_Sym *elf_gen_sym(struct elf_gen *g, enum gen_sym i)
{
	return (Elf64_Sym *)(elf_gen_bytes(g) + g->symtab_off) + i;
}

static size_t put_str(uint8_t *b, size_t *at, const char *s)
{
	size_t off = *at;

	memcpy(b + off, s, strlen(s) + 1);
	*at += strlen(s) + 1;
	return off;
}

static void set_shdr(Elf64_Shdr *s, uint32_t name, uint32_t type, uint64_t flags, uint64_t addr,
		     uint64_t off, uint64_t size)
{
	*s = (Elf64_Shdr){ .sh_name = name, .sh_type = type, .sh_flags = flags, .sh_addr = addr,
			   .sh_offset = off, .sh_size = size, .sh_addralign = 8 };
}

void elf_gen_build(struct elf_gen *g)
{
	uint8_t *b = elf_gen_bytes(g);
	Elf64_Ehdr *eh = elf_gen_ehdr(g);
	uint32_t sh_name[GEN_SH_NUM];
	size_t at, shstr_off;

	memset(g, 0, sizeof(*g));
	/* .text: `ret` (0xd65f03c0) throughout. */
	for (size_t o = 0; o < GEN_TEXT_SIZE; o += 4)
		memcpy(b + GEN_TEXT_OFF + o, "\xc0\x03\x5f\xd6", 4);
	memset(b + GEN_DATA_OFF, 0x5a, GEN_DATA_FILESZ);

	g->symtab_off = 0x2100;
	g->strtab_off = g->symtab_off + GEN_SYM_NUM * sizeof(Elf64_Sym);
	at = g->strtab_off;
	b[at++] = 0;
	for (unsigned int i = 1; i < GEN_SYM_NUM; i++) {
		Elf64_Sym *s = (Elf64_Sym *)(b + g->symtab_off) + i;

		*s = (Elf64_Sym){ .st_name = (uint32_t)(put_str(b, &at, syms[i].name) - g->strtab_off),
				  .st_info = (unsigned char)ELF64_ST_INFO(syms[i].bind, syms[i].type),
				  .st_shndx = syms[i].shndx, .st_value = syms[i].value,
				  .st_size = syms[i].size };
	}
	g->strtab_size = at - g->strtab_off;
	shstr_off = at;
	for (unsigned int i = 0; i < GEN_SH_NUM; i++)
		sh_name[i] = (uint32_t)(put_str(b, &at, sec_names[i]) - shstr_off);
	g->shoff = (at + 7) & ~(size_t)7;
	g->size = g->shoff + GEN_SH_NUM * sizeof(Elf64_Shdr);

	set_shdr(elf_gen_shdr(g, GEN_SH_TEXT), sh_name[GEN_SH_TEXT], SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
		 GEN_TEXT_VA, GEN_TEXT_OFF, GEN_TEXT_SIZE);
	set_shdr(elf_gen_shdr(g, GEN_SH_DATA), sh_name[GEN_SH_DATA], SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
		 GEN_DATA_VA, GEN_DATA_OFF, GEN_DATA_FILESZ);
	set_shdr(elf_gen_shdr(g, GEN_SH_BSS), sh_name[GEN_SH_BSS], SHT_NOBITS, SHF_ALLOC | SHF_WRITE,
		 GEN_DATA_VA + GEN_DATA_FILESZ, GEN_DATA_OFF + GEN_DATA_FILESZ, GEN_DATA_MEMSZ - GEN_DATA_FILESZ);
	set_shdr(elf_gen_shdr(g, GEN_SH_SYMTAB), sh_name[GEN_SH_SYMTAB], SHT_SYMTAB, 0, 0, g->symtab_off,
		 GEN_SYM_NUM * sizeof(Elf64_Sym));
	elf_gen_shdr(g, GEN_SH_SYMTAB)->sh_link = GEN_SH_STRTAB;
	elf_gen_shdr(g, GEN_SH_SYMTAB)->sh_info = GEN_SYM_COUNTER; /* first non-local (roughly) */
	elf_gen_shdr(g, GEN_SH_SYMTAB)->sh_entsize = sizeof(Elf64_Sym);
	set_shdr(elf_gen_shdr(g, GEN_SH_STRTAB), sh_name[GEN_SH_STRTAB], SHT_STRTAB, 0, 0, g->strtab_off,
		 g->strtab_size);
	set_shdr(elf_gen_shdr(g, GEN_SH_SHSTRTAB), sh_name[GEN_SH_SHSTRTAB], SHT_STRTAB, 0, 0, shstr_off,
		 at - shstr_off);

	*elf_gen_phdr(g, GEN_PH_TEXT) = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = GEN_TEXT_OFF, .p_vaddr = GEN_TEXT_VA,
		.p_paddr = GEN_TEXT_VA, .p_filesz = GEN_TEXT_SIZE, .p_memsz = GEN_TEXT_SIZE, .p_align = 0x1000 };
	*elf_gen_phdr(g, GEN_PH_DATA) = (Elf64_Phdr){
		.p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = GEN_DATA_OFF, .p_vaddr = GEN_DATA_VA,
		.p_paddr = GEN_DATA_VA, .p_filesz = GEN_DATA_FILESZ, .p_memsz = GEN_DATA_MEMSZ, .p_align = 0x1000 };
	*elf_gen_phdr(g, GEN_PH_STACK) = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W, .p_align = 16 };
	/* GEN_PH_SPARE, GEN_PH_SPARE2: PT_NULL, for the tests to fill in. */

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_SYSV;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_AARCH64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = GEN_TEXT_VA;
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_shoff = g->shoff;
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = GEN_PH_NUM;
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shnum = GEN_SH_NUM;
	eh->e_shstrndx = GEN_SH_SHSTRTAB;
}
