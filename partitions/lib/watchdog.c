/*
 * watchdog_main: the watchdog cell every program may name in its plan. It sends a
 * heartbeat each period, so the health monitor sees the partition alive as long as the
 * partition's scheduling lets this cell run. An aperiodic watchdog beats four times
 * per heartbeat-timeout-us instead.
 */
#include "bulkhead.h"

BH_CELL_ENTRY(watchdog_main)
{
	const struct bh_info *info = bh_info();
	int64_t step = (int64_t)(info->heartbeat_timeout_ns / 4);

	(void)bh_printf(BH_LEVEL_DEBUG, "watchdog: partition %s, heartbeat each period", info->name);
	for (;;) {
		(void)bh_heartbeat();
		if (bh_periodic_wait() == -BH_E_MODE)
			(void)bh_sleep_ns(step > 0 ? step : 1000000);
	}
}
