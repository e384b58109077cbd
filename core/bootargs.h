/*
 * Boot arguments from /chosen/bootargs: space-separated key=value words.
 *
 *   loglevel=error|warn|info|debug|trace   overrides the Kconfig default level
 *   runtime_ms=N                            shut the system down cleanly after N ms (1..2^32)
 *   panic=halt|off|reset                    what a fatal kernel error does
 *   fastwin=on|off                          off: every window start through the kernel's C
 *                                           path (the IRQ vector starts none; on by default)
 *   test_fault=1                            (CONFIG_TEST_HOOKS) take an unexpected exception
 *   test_no_kick=1                          (CONFIG_TEST_HOOKS) never kick the Xen watchdog
 *   test_rtc=1                              (CONFIG_TEST_HOOKS) read the PL031 RTC, log it
 *   test_stack_overflow=1                   (CONFIG_TEST_HOOKS) recurse until the stack overflows
 *   test_linear=1                           (CONFIG_TEST_HOOKS) read the DTB through the linear
 *                                           map, then the image's linear address (faults)
 *   test_identity=1                         (CONFIG_TEST_HOOKS) read the image's physical
 *                                           address as a virtual one (faults: TTBR0 is empty)
 *   test_cpu_on_bad_id=1                    (CONFIG_TEST_HOOKS) start two CPUs beyond the tree
 *                                           with context ids no secondary CPU may have
 *   test_asids=N                            (CONFIG_TEST_HOOKS) use only ASIDs 1..N on each CPU
 *                                           (runs the ASID roll-over on any CPU)
 *   test_uart_ns=N                          (CONFIG_TEST_HOOKS) every console byte costs N ns
 *                                           more, lock held (as a Xen guest's trapped UART)
 *
 * Parsing never fails as a whole: every word that is unknown, malformed or not
 * enabled in this build is kept as a problem for the caller to report (at warn).
 */
#ifndef BULKHEAD_CORE_BOOTARGS_H
#define BULKHEAD_CORE_BOOTARGS_H

#include <stdbool.h>
#include <stdint.h>
#include "core/log.h"

enum panic_action { PANIC_HALT, PANIC_OFF, PANIC_RESET };

enum bootarg_problem {
	BOOTARG_UNKNOWN,      /* no such argument */
	BOOTARG_BAD_VALUE,    /* known argument, value not accepted */
	BOOTARG_NOT_ENABLED,  /* known, but compiled out (e.g. test hooks) */
	BOOTARG_DUPLICATE,    /* given twice; the first one stands */
};

const char *bootarg_problem_str(enum bootarg_problem p);

#define BOOTARGS_MAX_PROBLEMS 8
#define BOOTARGS_WORD_MAX 48

struct boot_options {
	bool has_loglevel;
	enum log_level loglevel;
	uint64_t runtime_ms; /* 0: run until told otherwise */
	bool has_panic;
	enum panic_action panic;
	bool no_fastwin;     /* fastwin=off */
	bool test_fault;
	bool test_no_kick;
	bool test_rtc;
	bool test_stack_overflow;
	bool test_linear;
	bool test_identity;
	bool test_cpu_on_bad_id;
	unsigned int test_asids; /* 0: every ASID the CPU has */
	uint32_t test_uart_ns;   /* 0: the console costs what the UART costs */
	struct {
		enum bootarg_problem why;
		char word[BOOTARGS_WORD_MAX]; /* the word as given, cut to fit */
		/* What this build accepts instead: the argument's values ("halt|off|reset"), or
		 * for an unknown or compiled-out argument the arguments it knows. */
		const char *accepted;
	} problems[BOOTARGS_MAX_PROBLEMS];
	unsigned int n_problems;
	unsigned int problems_dropped; /* beyond BOOTARGS_MAX_PROBLEMS */
};

/* s may be NULL (no bootargs). test_hooks says whether CONFIG_TEST_HOOKS is set. */
void bootargs_parse(const char *s, bool test_hooks, struct boot_options *out);

const char *panic_action_name(enum panic_action a);

#endif
