/*
 * A fake of this CPU's interrupt mask (hal/cpu.h cpu_irq_save/cpu_irq_restore) for host
 * tests: a fake interrupt raised while unmasked runs at once, inside whatever code
 * raised it, as a real one would; raised while masked, it runs when the mask is lifted.
 */
#ifndef BULKHEAD_HAL_FAKE_CPU_H
#define BULKHEAD_HAL_FAKE_CPU_H
#include <stdbool.h>

/* Unmasked, nothing pending. */
void fake_cpu_reset(void);
bool fake_cpu_irq_masked(void);
/* Raise a fake interrupt whose handler is fn(ctx); one can be pending at a time. */
void fake_cpu_raise_irq(void (*fn)(void *ctx), void *ctx);
#endif
