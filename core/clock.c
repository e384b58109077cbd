#include "core/clock.h"

uint64_t clock_ns_since_boot(const struct clock *c, uint64_t now)
{
	uint64_t t = now > c->boot_ticks ? now - c->boot_ticks : 0;

	if (c->freq_hz == 0)
		return 0;
	/* Split to keep t * 1e9 from overflowing: whole seconds, then the remainder. */
	return (t / c->freq_hz) * 1000000000ULL + (t % c->freq_hz) * 1000000000ULL / c->freq_hz;
}

uint64_t clock_deadline_ms(const struct clock *c, uint64_t ms)
{
	if (c->freq_hz == 0)
		return UINT64_MAX;
	uint64_t ticks = (ms / 1000) * c->freq_hz + (ms % 1000) * c->freq_hz / 1000;

	return ticks > UINT64_MAX - c->boot_ticks ? UINT64_MAX : c->boot_ticks + ticks;
}
