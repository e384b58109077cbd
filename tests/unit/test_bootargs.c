#include <criterion/criterion.h>
#include <string.h>
#include "core/bootargs.h"

static struct boot_options o;

Test(bootargs, empty_and_null)
{
	bootargs_parse(NULL, true, &o);
	cr_assert_not(o.has_loglevel);
	cr_assert_eq(o.runtime_ms, 0);
	cr_assert_eq(o.panic, PANIC_HALT);
	bootargs_parse("   ", true, &o);
	cr_assert_eq(o.n_problems, 0);
}

Test(bootargs, known_arguments)
{
	bootargs_parse(" loglevel=debug\truntime_ms=1500 panic=reset test_fault=1 ", true, &o);
	cr_assert_eq(o.n_problems, 0);
	cr_assert(o.has_loglevel);
	cr_assert_eq(o.loglevel, LOG_DEBUG);
	cr_assert_eq(o.runtime_ms, 1500);
	cr_assert(o.has_panic);
	cr_assert_eq(o.panic, PANIC_RESET);
	cr_assert(o.test_fault);
	cr_assert_not(o.test_no_kick);
	cr_assert_not(o.test_rtc);
}

Test(bootargs, test_hooks_only_when_built_in)
{
	bootargs_parse("test_no_kick=1 test_rtc=1", true, &o);
	cr_assert_eq(o.n_problems, 0);
	cr_assert(o.test_no_kick);
	cr_assert(o.test_rtc);
	bootargs_parse("test_no_kick=1 test_rtc=yes", false, &o);
	cr_assert_eq(o.n_problems, 2);
	cr_assert_eq(o.problems[0].why, BOOTARG_NOT_ENABLED);
	cr_assert_not(o.test_no_kick);
	cr_assert_not(o.test_rtc);
}

Test(bootargs, problems_are_kept_with_reasons)
{
	bootargs_parse("console=ttyAMA0 loglevel=loud runtime_ms=0 runtime_ms=12x "
		       "runtime_ms=99999999999999999999 test_fault=1 loglevel=info loglevel=warn "
		       "panic",
		       false, &o);
	cr_assert_eq(o.n_problems, 8);
	cr_assert_str_eq(o.problems[0].word, "console=ttyAMA0");
	cr_assert_eq(o.problems[0].why, BOOTARG_UNKNOWN);
	cr_assert_eq(o.problems[1].why, BOOTARG_BAD_VALUE);
	cr_assert_eq(o.problems[2].why, BOOTARG_BAD_VALUE, "runtime_ms=0 is not a bound");
	cr_assert_eq(o.problems[3].why, BOOTARG_BAD_VALUE);
	cr_assert_eq(o.problems[4].why, BOOTARG_BAD_VALUE, "overflow");
	cr_assert_eq(o.problems[5].why, BOOTARG_NOT_ENABLED);
	cr_assert_str_eq(o.problems[6].word, "loglevel=warn");
	cr_assert_eq(o.problems[6].why, BOOTARG_DUPLICATE);
	cr_assert_eq(o.problems[7].why, BOOTARG_BAD_VALUE, "no value");
	/* Each problem says what would have been accepted. */
	cr_assert_str_eq(o.problems[0].accepted, "loglevel|runtime_ms|panic|fastwin");
	cr_assert_str_eq(o.problems[1].accepted, "error|warn|info|debug|trace");
	cr_assert_str_eq(o.problems[2].accepted, "1..4294967296");
	cr_assert_str_eq(o.problems[5].accepted, "loglevel|runtime_ms|panic|fastwin", "test hooks are off");
	cr_assert_str_eq(o.problems[6].accepted, "error|warn|info|debug|trace");
	cr_assert_str_eq(o.problems[7].accepted, "halt|off|reset");
	cr_assert_eq(o.loglevel, LOG_INFO, "the first good one stands");
	cr_assert_not(o.test_fault);
	cr_assert_eq(o.runtime_ms, 0);
}

Test(bootargs, overflowing_problem_list_counts_the_rest)
{
	bootargs_parse("a b c d e f g h i j", true, &o);
	cr_assert_eq(o.n_problems, BOOTARGS_MAX_PROBLEMS);
	cr_assert_eq(o.problems_dropped, 2);
}

Test(bootargs, long_words_are_cut_safely)
{
	char arg[200];

	memset(arg, 'q', sizeof(arg) - 1);
	arg[sizeof(arg) - 1] = '\0';
	bootargs_parse(arg, true, &o);
	cr_assert_eq(o.n_problems, 1);
	cr_assert_eq(strlen(o.problems[0].word), BOOTARGS_WORD_MAX - 1);
}

Test(bootargs, test_uart_ns_is_a_bounded_test_hook)
{
	bootargs_parse("test_uart_ns=8000", true, &o);
	cr_assert_eq(o.n_problems, 0);
	cr_assert_eq(o.test_uart_ns, 8000);
	bootargs_parse("test_uart_ns=0 test_uart_ns=1000001 test_uart_ns", true, &o);
	cr_assert_eq(o.n_problems, 3);
	cr_assert_eq(o.test_uart_ns, 0);
	cr_assert_str_eq(o.problems[0].accepted, "1..1000000");
	bootargs_parse("test_uart_ns=8000", false, &o);
	cr_assert_eq(o.n_problems, 1, "compiled out without the test hooks");
	cr_assert_eq(o.test_uart_ns, 0);
}
