/*
 * bhplan's estimate of the kernel's run-time tables (core/run_tables.h): the same code
 * the kernel sizes them with at boot, and each partition's address-space tables as
 * core/space.c lays its program out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bhplan.h"
#include "core/elf.h"
#include "core/space.h"

/* A physical base that is never 2 MiB aligned with the VA it maps: every 2 MiB touched
 * needs a level-3 table, the most any placement of the block can take. */
#define WORST_BASE (0x80000000ull + SPACE_PAGE)

/* Partition i's table_pages from its program DIR/IMAGE.elf as partition_load lays it
 * out; 0 (after saying why) if the program cannot be read. A program that does not fit
 * its partition (the kernel refuses the partition: partition_refused) counts the bound
 * for any program, after a note. */
static uint64_t program_pages(const struct plan *p, unsigned int i, const char *dir)
{
	const struct plan_partition *pp = &p->part[i];
	const struct elf_limits lim = { SPACE_IMAGE_VA, SPACE_IMAGE_END, ELF_MAX_SEGMENTS };
	struct space_segment seg[ELF_MAX_SEGMENTS];
	struct space_region seg_r[ELF_MAX_SEGMENTS], stack_r[PLAN_CELLS];
	uint32_t stack_bytes[PLAN_CELLS];
	struct space_layout l = { .seg = seg_r, .stack = stack_r };
	struct space_diag diag;
	struct elf_image elf;
	struct blob b = { 0 };
	char path[4096];
	enum elf_err ee;

	snprintf(path, sizeof(path), "%s/%s.elf", dir, pp->image);
	if (load_blob(path, &b) != 0)
		return 0;
	ee = elf_parse(b.data, b.size, &lim, &elf);
	if (ee != ELF_OK) {
		fprintf(stderr, "bhplan: %s: %s\n", path, elf_strerror(ee));
		free(b.data);
		return 0;
	}
	for (unsigned int s = 0; s < elf.n_segments; s++)
		seg[s] = (struct space_segment){ elf.seg[s].vaddr, elf.seg[s].memsz,
						 elf.seg[s].file_off, elf.seg[s].filesz,
						 elf.seg[s].flags };
	for (unsigned int k = 0; k < PLAN_CELLS; k++)
		stack_bytes[k] = pp->cell[k].stack_bytes;
	const struct space_input in = {
		.block = { pa_init(WORST_BASE), pp->memory_bytes }, .seg = seg,
		.n_seg = elf.n_segments, .file_bytes = b.size, .stack_bytes = stack_bytes,
		.n_cells = PLAN_CELLS,
	};
	enum space_err se = space_decode(&in, &l, &diag);

	free(b.data);
	if (se != SPACE_OK) {
		fprintf(stderr, "bhplan: note: %s in /partitions/%s: %s (the kernel will refuse "
			"the partition)\n", path, pp->name, space_strerror(se));
		return space_table_pages_max(pp->memory_bytes, ELF_MAX_SEGMENTS, PLAN_CELLS);
	}
	return l.table_pages;
}

int plan_kernel_tables(const struct plan *p, const char *dir, uint64_t ram_bytes,
		       struct run_tables_need *need)
{
	uint64_t *pages = calloc(p->n_part ? p->n_part : 1, sizeof(*pages));

	if (!pages) {
		fprintf(stderr, "bhplan: out of memory\n");
		return -1;
	}
	for (unsigned int i = 0; i < p->n_part; i++) {
		pages[i] = dir ? program_pages(p, i, dir)
			       : space_table_pages_max(p->part[i].memory_bytes, ELF_MAX_SEGMENTS,
						       PLAN_CELLS);
		if (!pages[i]) {
			free(pages);
			return -1;
		}
	}
	run_tables_estimate(p, pages, ram_bytes, need);
	free(pages);
	return 0;
}

void plan_kernel_tables_refused(FILE *f, const char *file, const struct plan *p,
				const struct run_tables_need *need, uint64_t ram_bytes,
				bool from_programs)
{
	fprintf(f, "%s: /: the kernel's tables need %llu bytes, the free RAM left has %llu; %s",
		file, (unsigned long long)need->bytes, (unsigned long long)ram_bytes, need->table);
	if (!strcmp(need->table, "page_tables"))
		fprintf(f, " of %s", p->part[need->partition].name);
	fprintf(f, ": %llu bytes, %llu left: %s%s [plan-limit]\n", (unsigned long long)need->want,
		(unsigned long long)need->free, kmem_strerror(KMEM_ERR_SHORT),
		from_programs || strcmp(need->table, "page_tables") ? ""
			: " (page tables at their most for any program; --images DIR counts the programs')");
}

void plan_show_kernel_tables(FILE *f, const struct run_tables_need *need, bool from_programs,
			     const uint64_t *ram_bytes)
{
	fprintf(f, "\nkernel tables %llu bytes: %llu fixed (%llu to the page), %llu page-table pages"
		" (%s)\n",
		(unsigned long long)need->bytes, (unsigned long long)need->fixed_bytes,
		(unsigned long long)need->pool_offset, (unsigned long long)need->table_pages,
		from_programs ? "the programs' layouts, at the worst placement"
			      : "at most, for any program: --images DIR counts the programs'");
	if (ram_bytes)
		fprintf(f, "free RAM for them %llu bytes: %s\n", (unsigned long long)*ram_bytes,
			need->fits ? "they fit" : "too small");
}
