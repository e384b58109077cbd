/* The runtime's args walker (partitions/lib/args.c): bounded, and key=value lookups. */
#include <criterion/criterion.h>
#include <string.h>
#include "partitions/lib/args.h"

static const char args[] = "rate=100\0verbose\0name=a=b\0rate=200\0hex=0x1F";
#define N 5

Test(partition_args, strings_by_index_within_their_count)
{
	cr_assert_str_eq(args_at(args, sizeof(args), N, 0), "rate=100");
	cr_assert_str_eq(args_at(args, sizeof(args), N, 4), "hex=0x1F");
	cr_assert_null(args_at(args, sizeof(args), N, 5));
	cr_assert_null(args_at(NULL, 0, 1, 0));
}

Test(partition_args, a_string_without_its_nul_inside_the_buffer_is_not_returned)
{
	/* The page claims two strings but the second runs to the end of the buffer. */
	static const char cut[] = { 'a', '\0', 'b', 'c' };

	cr_assert_str_eq(args_at(cut, sizeof(cut), 2, 0), "a");
	cr_assert_null(args_at(cut, sizeof(cut), 2, 1));
	cr_assert_null(args_find(cut, sizeof(cut), 2, "bc"));
	/* More strings claimed than the buffer holds. */
	cr_assert_null(args_at(args, sizeof(args), 9, 6));
}

Test(partition_args, find_takes_the_first_match_of_the_whole_key)
{
	cr_assert_str_eq(args_find(args, sizeof(args), N, "rate"), "100");
	cr_assert_str_eq(args_find(args, sizeof(args), N, "verbose"), "");
	cr_assert_str_eq(args_find(args, sizeof(args), N, "name"), "a=b");
	cr_assert_null(args_find(args, sizeof(args), N, "rat"), "a prefix is not a key");
	cr_assert_null(args_find(args, sizeof(args), N, "verb"));
	cr_assert_null(args_find(args, sizeof(args), N, "missing"));
	cr_assert_null(args_find(args, sizeof(args), N, ""));
	cr_assert_null(args_find(args, sizeof(args), N, "rate=100"), "keys have no '='");
	cr_assert_null(args_find(args, sizeof(args), 0, "rate"), "count bounds the search");
}

Test(partition_args, numbers_decimal_and_hex_whole_and_without_overflow)
{
	uint64_t v = 7;

	cr_assert(args_parse_u64("100", &v));
	cr_assert_eq(v, 100);
	cr_assert(args_parse_u64("0x1F", &v));
	cr_assert_eq(v, 31);
	cr_assert(args_parse_u64("18446744073709551615", &v));
	cr_assert_eq(v, UINT64_MAX);
	v = 7;
	cr_assert_not(args_parse_u64("18446744073709551616", &v));
	cr_assert_not(args_parse_u64("0x10000000000000000", &v));
	cr_assert_not(args_parse_u64("12a", &v));
	cr_assert_not(args_parse_u64("1f", &v), "hex digits need 0x");
	cr_assert_not(args_parse_u64("0x", &v));
	cr_assert_not(args_parse_u64("", &v));
	cr_assert_not(args_parse_u64("-1", &v));
	cr_assert_not(args_parse_u64(NULL, &v));
	cr_assert_eq(v, 7, "a failed parse leaves the output alone");
}
