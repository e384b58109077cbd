/* The port tests' shared setup (test_port.c, test_port_copy.c). */
#ifndef BULKHEAD_TESTS_UNIT_PORT_FIXTURE_H
#define BULKHEAD_TESTS_UNIT_PORT_FIXTURE_H

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "core/port.h"

static inline struct port_cfg cfg_of(enum plan_channel_kind kind, uint32_t bytes, uint32_t depth,
				     uint32_t refresh_us)
{
	struct plan_channel ch = { .kind = kind, .message_bytes = bytes, .depth = depth,
				   .refresh_us = refresh_us };
	struct port_cfg c;

	cr_assert_eq(port_cfg_from_plan(&ch, &c), PORT_CFG_OK);
	return c;
}

/* The region exactly as large as the plan says, so ASan sees any access beyond it. */
static inline void *region_new(const struct port_cfg *c)
{
	void *r = aligned_alloc(8, c->region_bytes);

	cr_assert_not_null(r);
	memset(r, 0xa5, c->region_bytes);
	port_region_init(c, r);
	return r;
}

#endif
