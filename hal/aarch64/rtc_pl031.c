#include "hal/rtc.h"
#include "hal/aarch64/mmio.h"

/* PL031 registers (Arm PrimeCell RTC TRM): RTCDR is the current count. */
enum { RTC_DR = 0x000 };

uint32_t rtc_pl031_read(uintptr_t base)
{
	return mmio_read32(base + RTC_DR);
}
