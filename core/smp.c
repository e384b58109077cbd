#include "core/smp.h"

unsigned int smp_slot(unsigned int boot_cpu, unsigned int cpu)
{
	if (cpu == boot_cpu)
		return 0;
	if (cpu == 0)
		return boot_cpu;
	return cpu;
}

static uint64_t cpu_bit(uint32_t cpu)
{
	return cpu < 64 ? 1ULL << cpu : 0;
}

uint64_t smp_plan_cpus(const struct plan *p)
{
	uint64_t m = 0;

	for (unsigned int i = 0; i < p->n_part && i < PLAN_MAX_PARTITIONS; i++)
		m |= cpu_bit(p->part[i].cpu);
	for (unsigned int i = 0; i < p->n_sched && i < PLAN_MAX_CPUS; i++)
		m |= cpu_bit(p->sched[i].cpu);
	return m;
}

bool smp_start_is_fatal(enum smp_start s, uint64_t plan_cpus, unsigned int cpu)
{
	if (s == SMP_START_ONLINE)
		return false;
	return cpu < 64 && (plan_cpus >> cpu & 1);
}
