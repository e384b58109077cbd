/*
 * Fake device registers and system registers for host tests of the hal/aarch64 drivers
 * (uart.c, gic_v2.c, gic_v3.c, timer.c). Those drivers are compiled for the host against
 * hal/fake/regs/hal/aarch64/{mmio,sysreg}.h, which route every access here; a test
 * installs a model of the device in fake_regs.
 */
#ifndef BULKHEAD_HAL_FAKE_REGS_H
#define BULKHEAD_HAL_FAKE_REGS_H

#include <stdbool.h>
#include <stdint.h>

struct fake_regs {
	/* Device model: NULL reads as 0 / ignores the write / never faults. */
	uint32_t (*read32)(uintptr_t addr);
	void (*write32)(uintptr_t addr, uint32_t v);
	bool (*faults)(uintptr_t addr); /* a read here takes a synchronous external abort */
	/* System registers by the name the driver writes (e.g. "ICC_IAR1_EL1"). */
	uint64_t (*sysreg_read)(const char *name);
	void (*sysreg_write)(const char *name, uint64_t v);
	unsigned long reads, writes; /* device accesses so far */
};

extern struct fake_regs fake_regs;

/* No model, counters at 0. */
void fake_regs_reset(void);

#endif
