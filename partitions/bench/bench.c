/*
 * bench: the program of make bench's plans. Its driver cell makes the null system
 * call (nop) forever, so every pass through the kernel it causes is a null call, a
 * cell switch to and from its watchdog, or a window boundary.
 */
#include "bulkhead.h"

BH_CELL_ENTRY(bench_nop_main)
{
	for (;;)
		(void)bh_nop();
}
