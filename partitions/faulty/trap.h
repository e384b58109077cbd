/* faulty's deliberate faults (trap.c): each traps to the kernel at once. */
#ifndef BULKHEAD_FAULTY_TRAP_H
#define BULKHEAD_FAULTY_TRAP_H

#include <stdint.h>

uint64_t trap_load(uintptr_t va);
void trap_store(uintptr_t va, uint64_t v);
void trap_branch(uintptr_t va);
void trap_udf(void);
void trap_sp_align(void);

#endif
