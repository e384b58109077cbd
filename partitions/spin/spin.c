/*
 * spin: a test program whose driver cell never gives the CPU back. The kernel must
 * still end its windows on time and give every other partition its own.
 */
#include <stdio.h>
#include "bulkhead.h"

BH_CELL_ENTRY(spin_main)
{
	printf("spin: spinning forever\n");
	/* SAFETY: volatile only keeps the compiler from removing the loop; n is a local. */
	for (volatile unsigned long n = 0;; n++)
		;
}
