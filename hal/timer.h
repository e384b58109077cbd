/*
 * The architected generic timer, EL1 virtual view (CNTV): one per CPU, one-shot,
 * tickless. Works the same bare metal and under Xen.
 */
#ifndef BULKHEAD_HAL_TIMER_H
#define BULKHEAD_HAL_TIMER_H

#include <stdint.h>
#include "core/lib/compiler.h"
#include "hal/hal_error.h"

/* Slowest counter accepted: the kernel's times are in microseconds. */
#define TIMER_FREQ_MIN_HZ 1000000u

/*
 * Boot CPU. freq_override: the DT's clock-frequency, 0 to trust CNTFRQ_EL0. A frequency
 * of 0 (firmware never set CNTFRQ_EL0) or below TIMER_FREQ_MIN_HZ is refused with
 * HAL_ERR_TIMER_FREQ and leaves timer_freq() at 0. May be called again (first with
 * CNTFRQ_EL0, then with what the DT says); the last call decides.
 */
enum hal_err timer_init(uint32_t freq_override) __must_check;
/* Pure: HAL_OK if hz is a usable counter frequency, else HAL_ERR_TIMER_FREQ. */
enum hal_err timer_freq_check(uint64_t hz) __must_check;
uint64_t timer_now(void);  /* ticks */
uint64_t timer_freq(void); /* ticks per second; 0 until timer_init succeeds */
/* Interrupt this CPU at (or right after) deadline; replaces any earlier arming. */
void timer_arm(uint64_t deadline);
void timer_disarm(void);
/* The deadline armed on this CPU (ticks), UINT64_MAX if the timer is disarmed. */
uint64_t timer_deadline(void);

#endif
