/* The pure part of the timer driver (host-tested): which counter frequencies are usable. */
#include "hal/timer.h"

enum hal_err timer_freq_check(uint64_t hz)
{
	/* 0 would divide by zero in every tick conversion; below 1 MHz a microsecond is
	 * less than one tick, and the plan's windows are in microseconds. */
	return hz >= TIMER_FREQ_MIN_HZ ? HAL_OK : HAL_ERR_TIMER_FREQ;
}
