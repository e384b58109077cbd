/*
 * Exception syndrome decoding: ESR_EL1 into words (class, fault status, access),
 * so a fault report says "data abort (same EL): translation fault, level 2, write"
 * rather than a hex number. Pure: tested on the host.
 */
#ifndef BULKHEAD_HAL_ESR_H
#define BULKHEAD_HAL_ESR_H

#include <stdbool.h>
#include <stdint.h>

struct esr_info {
	uint32_t ec;          /* exception class, ESR[31:26] */
	uint32_t iss;         /* ESR[24:0] */
	const char *ec_name;  /* never NULL */
	const char *fault;    /* abort status in words, NULL if not an abort */
	const char *access;   /* "read" / "write" for data aborts, else NULL */
};

struct esr_info esr_decode(uint64_t esr);

/* Name of a vector-table entry 0..15 ("sync, current EL, SP_ELx", ...). */
const char *exception_kind_name(unsigned int kind);

#endif
