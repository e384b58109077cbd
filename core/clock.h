/* Kernel time: timer ticks since boot, in nanoseconds and back (pure arithmetic). */
#ifndef BULKHEAD_CORE_CLOCK_H
#define BULKHEAD_CORE_CLOCK_H

#include <stdint.h>

struct clock {
	uint64_t boot_ticks; /* counter value at entry */
	uint64_t freq_hz;    /* 0 while unknown (early boot, or a refused counter) */
};

/* ns since boot at counter value now (0 if now is before boot, or freq_hz is 0). No
 * overflow for freq_hz < 1.8e10 and any uptime below 584 years. */
uint64_t clock_ns_since_boot(const struct clock *c, uint64_t now);
/* Counter value ms milliseconds after boot (saturating; UINT64_MAX, never, if freq_hz
 * is 0). */
uint64_t clock_deadline_ms(const struct clock *c, uint64_t ms);

#endif
