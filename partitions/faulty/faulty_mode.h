/*
 * faulty's modes (docs/isolation.md, "Fault injection"): the names its plan arg
 * fault=MODE takes, and the seeded choice of fault=random. Pure, tested on the host
 * (tests/unit/test_fuzz_gen.c).
 */
#ifndef BULKHEAD_FAULTY_MODE_H
#define BULKHEAD_FAULTY_MODE_H

#include <stdint.h>

enum faulty_mode {
	FAULTY_NONE,          /* good behaviour */
	FAULTY_MEMORY,        /* after K periods: load from the null guard */
	FAULTY_ILLEGAL,       /* after K periods: an undefined instruction */
	FAULTY_HANG,          /* after K periods: the driver spins forever */
	FAULTY_STALL,         /* after K periods: the driver waits each period, no progress */
	FAULTY_OVERRUN,       /* after K periods: one period runs past its deadline */
	FAULTY_NO_HEARTBEAT,  /* after K periods: the watchdog cell stops the heartbeat */
	FAULTY_APP_ERROR,     /* after K periods: raise an application error */
	FAULTY_RESTART_LOOP,  /* at once after every start: a memory violation */
	FAULTY_CORRUPT,       /* after K periods: smash its own data, then fault */
	FAULTY_RANDOM,        /* one of the above (not none, not restart-loop) per start */
	/* Single EL0 faults at once (no periods), kept for the EL0 fault tests. */
	FAULTY_NULL,          /* as memory */
	FAULTY_KERNEL_READ,   /* load from the kernel image */
	FAULTY_RODATA_WRITE,  /* store to its own read-only data */
	FAULTY_EXEC_STACK,    /* branch to its stack */
	FAULTY_UDF,           /* as illegal */
	FAULTY_SP_ALIGN,      /* a load through a misaligned stack pointer */
	FAULTY_PC_ALIGN,      /* a branch to an address that is not 4-byte aligned */
	FAULTY_BAD_POINTER,   /* not a fault: print from a kernel address (refused, goes on) */
	FAULTY_MODES,
};

/* The mode named s (NULL: FAULTY_NONE); FAULTY_MODES for an unknown name. */
enum faulty_mode faulty_mode_parse(const char *s);
const char *faulty_mode_name(enum faulty_mode m);

/* fault=random: the mode and K for the start with `restarts` restarts so far, from the
 * seed: the same seed and restart count give the same choice (both cells compute it). */
struct faulty_pick {
	enum faulty_mode mode;
	uint32_t after;
};
struct faulty_pick faulty_random_pick(uint64_t seed, uint32_t restarts, uint32_t max_after);

#endif
