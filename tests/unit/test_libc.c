/* core/lib: string.c (built as bh_*) against the C standard, and the SHA-256 wrapper. */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/lib/libc.h"
#include "core/lib/sha256.h"

Test(libc, memcpy_memset_memcmp)
{
	char a[32], b[32];

	cr_assert_eq(bh_memset(a, 'x', sizeof(a)), a);
	for (size_t i = 0; i < sizeof(a); i++)
		cr_assert_eq(a[i], 'x');
	cr_assert_eq(bh_memcpy(b, "hello, world", 13), b);
	cr_assert_str_eq(b, "hello, world");
	cr_assert_eq(bh_memcmp("abc", "abd", 3), -1);
	cr_assert_eq(bh_memcmp("abd", "abc", 3), 1);
	cr_assert_eq(bh_memcmp("abc", "abd", 2), 0);
	cr_assert_eq(bh_memcmp("\x80", "\x01", 1), 1, "bytes compare unsigned");
	cr_assert_eq(bh_memcmp(NULL, NULL, 0), 0);
}

Test(libc, memmove_overlaps_both_ways)
{
	char s[] = "0123456789";

	bh_memmove(s + 2, s, 5);
	cr_assert_str_eq(s, "0101234789");
	strcpy(s, "0123456789");
	bh_memmove(s, s + 3, 5);
	cr_assert_str_eq(s, "3456756789");
}

Test(libc, memchr_strchr_strrchr)
{
	const char *s = "a/b/c";

	cr_assert_eq(bh_memchr(s, '/', 5), s + 1);
	cr_assert_null(bh_memchr(s, '/', 1));
	cr_assert_eq(bh_strchr(s, '/'), s + 1);
	cr_assert_eq(bh_strrchr(s, '/'), s + 3);
	cr_assert_eq(bh_strchr(s, '\0'), s + 5, "the terminator can be found");
	cr_assert_null(bh_strchr(s, 'z'));
	cr_assert_null(bh_strrchr(s, 'z'));
}

Test(libc, lengths_and_compares)
{
	cr_assert_eq(bh_strlen(""), 0);
	cr_assert_eq(bh_strlen("four"), 4);
	cr_assert_eq(bh_strnlen("four", 2), 2);
	cr_assert_eq(bh_strnlen("four", 10), 4);
	cr_assert_eq(bh_strcmp("a", "a"), 0);
	cr_assert_lt(bh_strcmp("a", "b"), 0);
	cr_assert_gt(bh_strcmp("ab", "a"), 0);
	cr_assert_eq(bh_strncmp("abcx", "abcy", 3), 0);
}

Test(libc, strtoul_bases_and_ends)
{
	char *end;

	cr_assert_eq(bh_strtoul("  42rest", &end, 10), 42);
	cr_assert_str_eq(end, "rest");
	cr_assert_eq(bh_strtoul("0x1F", &end, 0), 31);
	cr_assert_eq(bh_strtoul("0x1F", &end, 16), 31);
	cr_assert_eq(bh_strtoul("017", &end, 0), 15);
	cr_assert_eq(bh_strtoul("101", &end, 2), 5);
	cr_assert_eq(bh_strtoul("zz", &end, 36), 35 * 36 + 35);
	cr_assert_eq(bh_strtoul("xyz", &end, 10), 0);
	cr_assert_str_eq(end, "xyz", "no digits: end is the start");
	cr_assert_eq(bh_strtoul("0x", &end, 16), 0);
	cr_assert_str_eq(end, "x", "a bare 0x parses the 0");
	cr_assert_eq(bh_strtoul("99999999999999999999999", &end, 10), ULONG_MAX, "saturates");
	cr_assert_eq(bh_strtoul("-1", &end, 10), ULONG_MAX, "negation as the standard says");
	cr_assert_eq(bh_strtoul("5", &end, 1), 0, "bad base");
	for (unsigned long v = 1; v && v < ULONG_MAX / 3; v *= 3) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%lu", v);
		cr_assert_eq(bh_strtoul(buf, NULL, 10), strtoul(buf, NULL, 10));
	}
}

/* The measurement digest: FIPS 180-2 test vectors. */
Test(sha256, known_vectors)
{
	char hex[SHA256_HEX];
	static char million[1000000];

	sha256_hex("abc", 3, hex);
	cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_hex("", 0, hex);
	cr_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	memset(million, 'a', sizeof(million));
	sha256_hex(million, sizeof(million), hex);
	cr_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
