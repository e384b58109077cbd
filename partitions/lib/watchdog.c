/*
 * watchdog_main: the watchdog cell every program may name in its plan. Each period it
 * checks the driver cell's progress (bh_progress) and, while the driver is healthy,
 * sends the heartbeat, so the health monitor sees the partition alive as long as the
 * partition's scheduling lets this cell run and its driver moves. An aperiodic watchdog
 * runs four times per heartbeat-timeout-us instead.
 *
 * Progress is a counter the driver bumps; a program that never bumps it is not checked
 * (its heartbeat only says the partition is scheduled). Once it has, BH_WATCHDOG_MISSES
 * watchdog periods without a bump mean the driver is stuck (spinning, or blocked where
 * it should not be): the heartbeat stops, so the kernel's heartbeat timeout fires, and
 * one application error (RT_ERR_STUCK) says why, at once.
 */
#include "bulkhead.h"
#include "rt.h"

/* One writer (the driver cell), one reader (this cell), same partition: relaxed atomics
 * are enough, a stale read only delays the verdict by a period. */
static uint64_t progress;

void bh_progress(void)
{
	__atomic_store_n(&progress, __atomic_load_n(&progress, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
}

BH_CELL_ENTRY(watchdog_main)
{
	const struct bh_info *info = bh_info();
	int64_t step = (int64_t)(info->heartbeat_timeout_ns / 4);
	uint64_t last = 0;
	unsigned int misses = 0;
	bool stuck = false;

	(void)bh_printf(BH_LEVEL_DEBUG, "watchdog: partition %s, heartbeat each period", info->name);
	for (;;) {
		uint64_t now = __atomic_load_n(&progress, __ATOMIC_RELAXED);

		misses = now != 0 && now == last ? misses + 1 : 0;
		last = now;
		if (misses >= BH_WATCHDOG_MISSES && !stuck) {
			static const char msg[] = "watchdog: the driver cell made no progress";

			stuck = true;
			(void)bh_raise_error(RT_ERR_STUCK, msg, sizeof(msg) - 1);
		} else if (misses == 0) {
			stuck = false;
		}
		if (!stuck)
			(void)bh_heartbeat();
		if (bh_periodic_wait() == -BH_E_MODE)
			(void)bh_sleep_ns(step > 0 ? step : 1000000);
	}
}
