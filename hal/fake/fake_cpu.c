#include <stddef.h>
#include "hal/cpu.h"
#include "fake_cpu.h"

#define FAKE_IRQ_MASKED 1u /* the "I" bit of the fake state */

static cpu_irq_state mask;
static void (*pending_fn)(void *ctx);
static void *pending_ctx;

void fake_cpu_reset(void)
{
	mask = 0;
	pending_fn = NULL;
	pending_ctx = NULL;
}

bool fake_cpu_irq_masked(void)
{
	return mask & FAKE_IRQ_MASKED;
}

/* Taking an interrupt masks further ones until the handler returns, as on the CPU. */
static void take(void (*fn)(void *ctx), void *ctx)
{
	cpu_irq_state saved = mask;

	mask |= FAKE_IRQ_MASKED;
	fn(ctx);
	mask = saved;
}

void fake_cpu_raise_irq(void (*fn)(void *ctx), void *ctx)
{
	if (!(mask & FAKE_IRQ_MASKED)) {
		take(fn, ctx);
		return;
	}
	pending_fn = fn;
	pending_ctx = ctx;
}

cpu_irq_state cpu_irq_save(void)
{
	cpu_irq_state old = mask;

	mask |= FAKE_IRQ_MASKED;
	return old;
}

void cpu_irq_restore(cpu_irq_state s)
{
	mask = s;
	if (!(mask & FAKE_IRQ_MASKED) && pending_fn) {
		void (*fn)(void *ctx) = pending_fn;

		pending_fn = NULL;
		take(fn, pending_ctx);
	}
}

bool cpu_irq_pending(void)
{
	return pending_fn != NULL;
}

/* The drivers' view of which CPU they run on (GICv3 picks its redistributor by it). */
unsigned int cpu_index(void)
{
	return 0;
}
