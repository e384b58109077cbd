/* ASIDs per CPU with generation roll-over (asid.h). */
#include "core/asid.h"

void asid_space_init(struct asid_space *s, uint32_t n)
{
	*s = (struct asid_space){ .gen = 1, .next = 1, .n = n ? n : 1 };
}

uint32_t asid_assign(struct asid_space *s, struct asid_tag *t, bool *flush)
{
	if (s->next > s->n) {
		s->gen++;
		s->next = 1;
		s->rollovers++;
	}
	/* In the first generation every ASID is fresh (the TLB was invalidated at boot);
	 * in any later one, it was an earlier partition's. */
	if (s->gen > 1)
		*flush = true;
	t->gen = s->gen;
	t->asid = s->next++;
	return t->asid;
}
