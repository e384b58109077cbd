/*
 * The architected generic timer, EL1 virtual view (CNTV): one per CPU, one-shot,
 * tickless. Works the same bare metal and under Xen.
 */
#ifndef BULKHEAD_HAL_TIMER_H
#define BULKHEAD_HAL_TIMER_H

#include <stdint.h>

/* Boot CPU, once. freq_override: the DT's clock-frequency, 0 to trust CNTFRQ_EL0. */
void timer_init(uint32_t freq_override);
uint64_t timer_now(void);  /* ticks */
uint64_t timer_freq(void); /* ticks per second */
/* Interrupt this CPU at (or right after) deadline; replaces any earlier arming. */
void timer_arm(uint64_t deadline);
void timer_disarm(void);

#endif
