#include "core/uaccess_fast.h"

static void add(struct uaccess_fast *out, const struct space_region *r, uaccess_fast_kva kva)
{
	if (r->attr != PT_USER_RW || r->size == 0 || out->n == UACCESS_FAST_RANGES)
		return;
	/* The info page is read-only by the ABI whatever its mapping says (as uaccess.c). */
	if (r->va <= SPACE_INFO_VA && SPACE_INFO_VA - r->va < r->size)
		return;
	out->r[out->n].va = r->va;
	out->r[out->n].len = r->size;
	out->r[out->n].kva = kva(r->pa);
	out->n++;
}

void uaccess_fast_build(const struct space_layout *l, uaccess_fast_kva kva, struct uaccess_fast *out)
{
	out->n = 0;
	for (unsigned int i = 0; i < l->n_cells; i++)
		add(out, &l->stack[i], kva);
	add(out, &l->heap, kva);
	for (unsigned int i = 0; i < l->n_seg; i++)
		add(out, &l->seg[i], kva);
}
