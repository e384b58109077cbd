#include "hal/cpu.h"
#include "hal/mmu.h"
#include "hal/aarch64/percpu.h"
#include "hal/aarch64/sysreg.h"

extern char secondary_entry[];

unsigned int cpu_index(void)
{
	const struct percpu *p = percpu_this();

	return (unsigned int)p->cpu;
}

void cpu_set_local(void *p)
{
	struct percpu *pc = percpu_this();

	pc->local = (uint64_t)(uintptr_t)p;
}

void *cpu_local(void)
{
	const struct percpu *pc = percpu_this();

	return (void *)(uintptr_t)pc->local;
}

uint64_t cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1);
}

void cpu_idle(void)
{
	wfi();
}

void cpu_wait_event(void)
{
	/* SAFETY: WFE only pauses this CPU until an event; "memory" makes the caller
	 * reload what it waits on. */
	__asm__ volatile("wfe" ::: "memory");
}

void cpu_send_event(void)
{
	dsb_ish(); /* the store the others wait for is visible before they wake */
	sev();
}

void cpu_yield_hint(void)
{
	/* SAFETY: YIELD is a hint with no architectural effect; "memory" keeps the SGI's
	 * write (and what it announces) before it. */
	__asm__ volatile("yield" ::: "memory");
}

void cpu_irq_enable(void)
{
	irq_enable();
}

void cpu_irq_disable(void)
{
	irq_disable();
}

cpu_irq_state cpu_irq_save(void)
{
	return irq_save();
}

void cpu_irq_restore(cpu_irq_state s)
{
	irq_restore(s);
}

#define ISR_EL1_I (1u << 7)

bool cpu_irq_pending(void)
{
	return read_sysreg(isr_el1) & ISR_EL1_I;
}

void cpu_park(void)
{
	all_disable();
	for (;;)
		wfi();
}

uint64_t cpu_secondary_entry_pa(void)
{
	return mmu_image_pa(secondary_entry);
}

void cpu_fault_on_purpose(void)
{
	/*
	 * SAFETY: a load from the last page below 4 GiB that the kernel never maps on
	 * QEMU virt; meant to fault (test hook only). volatile keeps the load.
	 */
	(void)*(volatile uint64_t *)(uintptr_t)0xfffff000ULL;
}

void cpu_load_on_purpose(uintptr_t va)
{
	/* SAFETY: a load the caller means to fault (test hook only); volatile keeps it. */
	(void)*(volatile uint64_t *)va;
}

/*
 * Each level keeps a buffer live across the next call, so the compiler can neither
 * drop the frames nor turn the recursion into a loop.
 * SAFETY: volatile only keeps these stack stores (test hook only); the recursion is
 * meant to run into the guard page below the stack and fault there.
 */
static __attribute__((noinline)) uint64_t recurse(volatile uint8_t *prev, uint64_t depth)
{
	volatile uint8_t buf[256];

	buf[0] = (uint8_t)(prev ? prev[0] + 1 : 0);
	if (depth == UINT64_MAX)
		return buf[0];
	return recurse(buf, depth + 1) + buf[1];
}

void cpu_overflow_stack_on_purpose(void)
{
	(void)recurse(NULL, 0);
}
