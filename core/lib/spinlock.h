/*
 * A test-and-set spinlock on compiler atomics (acquire on take, release on give).
 * It records its owner so the fault path can tell "held by me" (a fault while
 * holding it: write anyway) from "held by another CPU" (wait).
 * Needs the MMU on: exclusive accesses are not guaranteed on Device memory.
 * A lock that interrupt handlers also take must be held with this CPU's interrupts
 * masked (cpu_irq_save/cpu_irq_restore, hal/cpu.h), as core/console.c does.
 */
#ifndef BULKHEAD_CORE_LIB_SPINLOCK_H
#define BULKHEAD_CORE_LIB_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct spinlock {
	uint32_t locked;
	uint32_t owner; /* CPU number + 1 while held, 0 when free */
};

static inline void spin_lock(struct spinlock *l, unsigned int cpu)
{
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
	__atomic_store_n(&l->owner, cpu + 1, __ATOMIC_RELAXED);
}

/* Takes the lock if it is free; never waits. */
static inline bool spin_trylock(struct spinlock *l, unsigned int cpu)
{
	if (__atomic_load_n(&l->locked, __ATOMIC_RELAXED) ||
	    __atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		return false;
	__atomic_store_n(&l->owner, cpu + 1, __ATOMIC_RELAXED);
	return true;
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline bool spin_held_by(const struct spinlock *l, unsigned int cpu)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) == cpu + 1;
}

#endif
