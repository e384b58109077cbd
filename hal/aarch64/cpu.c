#include "hal/cpu.h"
#include "hal/aarch64/sysreg.h"

/* Per-CPU kernel stacks; head.S points each CPU's SP at the top of its own. */
uint8_t kernel_stacks[CONFIG_MAX_CPUS][CONFIG_KERNEL_STACK_SIZE] __aligned(4096);

extern char secondary_entry[];

unsigned int cpu_index(void)
{
	return (unsigned int)read_sysreg(tpidr_el1);
}

uint64_t cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1);
}

void cpu_idle(void)
{
	wfi();
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

void cpu_park(void)
{
	all_disable();
	for (;;)
		wfi();
}

uint64_t cpu_secondary_entry_pa(void)
{
	return (uint64_t)(uintptr_t)secondary_entry; /* identity mapped: VA == PA */
}

void cpu_fault_on_purpose(void)
{
	/*
	 * SAFETY: a load from the last page below 4 GiB that the kernel never maps on
	 * QEMU virt; meant to fault (test hook only). volatile keeps the load.
	 */
	(void)*(volatile uint64_t *)(uintptr_t)0xfffff000ULL;
}
