/* Host stand-in for hal/aarch64/sysreg.h: system registers by name through fake_regs,
 * barriers and interrupt masking as no-ops. */
#ifndef BULKHEAD_HAL_AARCH64_SYSREG_H
#define BULKHEAD_HAL_AARCH64_SYSREG_H

#include <stdint.h>

uint64_t fake_sysreg_read(const char *name);
void fake_sysreg_write(const char *name, uint64_t v);

#define read_sysreg(reg) fake_sysreg_read(#reg)
#define write_sysreg(reg, val) fake_sysreg_write(#reg, (uint64_t)(val))

static inline void isb(void) {}
static inline void dsb_sy(void) {}
static inline void dsb_ish(void) {}
static inline void dsb_ishst(void) {}
static inline void dsb_nsh(void) {}
static inline void wfi(void) {}
static inline void sev(void) {}

#endif
