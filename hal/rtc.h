/*
 * PL031 real-time clock, read only. The kernel does not own an RTC (partitions own
 * devices); this exists so a test can prove a passed-through device is reachable.
 */
#ifndef BULKHEAD_HAL_RTC_H
#define BULKHEAD_HAL_RTC_H

#include <stdint.h>

/* Seconds since the epoch as the RTC counts them. base: mapped PL031 registers. */
uint32_t rtc_pl031_read(uintptr_t base);

#endif
