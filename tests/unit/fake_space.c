#include "fake_space.h"
#include <stdlib.h>
#include <string.h>

#define PG BH_PAGE_BYTES

static const struct fake_map map_a[] = {
	{ 0x00400000, UACCESS_READ },
	{ 0x00401000, UACCESS_READ },
	{ 0x00402000, UACCESS_READ | UACCESS_WRITE },
	{ 0x00403000, 0 },
	{ 0x10000000, UACCESS_READ | UACCESS_WRITE },
	{ 0x10001000, UACCESS_READ | UACCESS_WRITE },
	{ 0x3ffee000, UACCESS_READ | UACCESS_WRITE },
	{ 0x3ffef000, UACCESS_READ | UACCESS_WRITE },
	{ BH_INFO_VA, UACCESS_READ },
	{ BH_DEVICE_VA, UACCESS_READ | UACCESS_WRITE | UACCESS_DEVICE },
};

static const struct fake_map map_b[] = {
	{ 0x00400000, UACCESS_READ },
	{ 0x00401000, UACCESS_READ | UACCESS_WRITE },
	{ 0x10000000, UACCESS_READ | UACCESS_WRITE },
	{ 0x10001000, UACCESS_READ | UACCESS_WRITE },
	{ 0x10002000, UACCESS_READ | UACCESS_WRITE },
	{ 0x10003000, UACCESS_READ | UACCESS_WRITE },
	{ 0x10004000, UACCESS_READ | UACCESS_WRITE },
	{ 0x10005000, UACCESS_READ | UACCESS_WRITE },
	{ 0x10006000, UACCESS_READ | UACCESS_WRITE },
	{ 0x10007000, UACCESS_READ | UACCESS_WRITE },
	{ 0x3ffe1000, UACCESS_READ | UACCESS_WRITE },
	{ BH_INFO_VA, UACCESS_READ },
};

#define N(a) (unsigned int)(sizeof(a) / sizeof((a)[0]))

static uint8_t *pages_a[N(map_a)], *pages_b[N(map_b)];

struct fake_part fake_a = { 'A', map_a, N(map_a), pages_a, 0, 0, { NULL, NULL } };
struct fake_part fake_b = { 'B', map_b, N(map_b), pages_b, 0, 0, { NULL, NULL } };
bool fake_a_info_writable;

uint8_t fake_pattern(char id, uint64_t va)
{
	return (uint8_t)(id * 7 + (va >> 12) * 13 + (va & 0xfff));
}

static int find(const struct fake_part *p, uint64_t page)
{
	for (unsigned int i = 0; i < p->n_map; i++)
		if (p->map[i].va == page)
			return (int)i;
	return -1;
}

static bool lookup(const void *ctx, uint64_t va, struct uaccess_page *out)
{
	struct fake_part *p = (struct fake_part *)ctx;
	int i;

	p->lookups++;
	if (va % PG || va >= BH_EL0_VA_END)
		p->bad_queries++;
	i = find(p, va);
	if (i < 0)
		return false;
	out->flags = p->map[i].flags;
	if (p == &fake_a && va == BH_INFO_VA && fake_a_info_writable)
		out->flags |= UACCESS_WRITE;
	out->kva = p->page[i];
	return true;
}

static void init_part(struct fake_part *p)
{
	for (unsigned int i = 0; i < p->n_map; i++) {
		p->page[i] = aligned_alloc(PG, PG);
		for (unsigned int b = 0; b < PG; b++)
			p->page[i][b] = fake_pattern(p->id, p->map[i].va + b);
	}
	p->lookups = 0;
	p->bad_queries = 0;
	p->space.lookup = lookup;
	p->space.ctx = p;
}

void fake_space_init(void)
{
	fake_a_info_writable = false;
	init_part(&fake_a);
	init_part(&fake_b);
}

void fake_space_fini(void)
{
	struct fake_part *parts[] = { &fake_a, &fake_b };

	for (unsigned int k = 0; k < 2; k++)
		for (unsigned int i = 0; i < parts[k]->n_map; i++) {
			free(parts[k]->page[i]);
			parts[k]->page[i] = NULL;
		}
}

uint8_t *fake_byte(struct fake_part *p, uint64_t va)
{
	int i = find(p, va & ~(uint64_t)(PG - 1));

	return i < 0 ? NULL : &p->page[i][va % PG];
}
