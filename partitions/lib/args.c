/* The plan's args (args.h): bounded walks over the packed strings. */
#include "args.h"

const char *args_at(const char *args, size_t bytes, unsigned int n, unsigned int i)
{
	size_t pos = 0;

	if (!args || i >= n)
		return NULL;
	for (unsigned int k = 0; k < n; k++) {
		size_t start = pos;

		while (pos < bytes && args[pos] != '\0')
			pos++;
		if (pos == bytes)
			return NULL; /* no NUL before the end: not a string */
		if (k == i)
			return args + start;
		pos++;
	}
	return NULL;
}

/* Whether s starts with key followed by '=' or its end; *value gets what follows. */
static bool key_matches(const char *s, const char *key, const char **value)
{
	size_t i = 0;

	while (key[i] != '\0' && s[i] == key[i])
		i++;
	if (key[i] != '\0')
		return false;
	if (s[i] == '\0') {
		*value = s + i;
		return true;
	}
	if (s[i] == '=') {
		*value = s + i + 1;
		return true;
	}
	return false;
}

const char *args_find(const char *args, size_t bytes, unsigned int n, const char *key)
{
	const char *value;

	if (!key || key[0] == '\0')
		return NULL;
	for (size_t i = 0; key[i] != '\0'; i++)
		if (key[i] == '=')
			return NULL;
	for (unsigned int i = 0; i < n; i++) {
		const char *s = args_at(args, bytes, n, i);

		if (!s)
			return NULL;
		if (key_matches(s, key, &value))
			return value;
	}
	return NULL;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

bool args_parse_u64(const char *s, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;

	if (!s || s[0] == '\0')
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (s[0] == '\0')
			return false;
	}
	for (; *s != '\0'; s++) {
		int d = digit_value(*s);

		if (d >= (int)base)
			return false;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return true;
}
