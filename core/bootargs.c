#include <stddef.h>
#include "core/bootargs.h"
#include "core/lib/libc.h"

struct word {
	const char *key;
	size_t key_len;
	const char *val; /* NULL when the word has no '=' */
	size_t val_len;
};

static bool parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 20)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		if (v > (max - (uint64_t)(s[i] - '0')) / 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return true;
}

static bool val_is(const struct word *w, const char *lit)
{
	size_t n = BH_LIBC(strlen)(lit);

	return w->val && w->val_len == n && BH_LIBC(memcmp)(w->val, lit, n) == 0;
}

static bool arg_loglevel(const struct word *w, struct boot_options *o)
{
	if (!w->val || !log_level_parse(w->val, w->val_len, &o->loglevel))
		return false;
	o->has_loglevel = true;
	return true;
}

static bool arg_runtime_ms(const struct word *w, struct boot_options *o)
{
	uint64_t v;

	if (!w->val || !parse_u64(w->val, w->val_len, 1ULL << 32, &v) || v == 0)
		return false;
	o->runtime_ms = v;
	return true;
}

static bool arg_test_asids(const struct word *w, struct boot_options *o)
{
	uint64_t v;

	if (!w->val || !parse_u64(w->val, w->val_len, 65535, &v) || v == 0)
		return false;
	o->test_asids = (unsigned int)v;
	return true;
}

static bool arg_test_uart_ns(const struct word *w, struct boot_options *o)
{
	uint64_t v;

	if (!w->val || !parse_u64(w->val, w->val_len, 1000000, &v) || v == 0)
		return false;
	o->test_uart_ns = (uint32_t)v;
	return true;
}

static bool arg_fastwin(const struct word *w, struct boot_options *o)
{
	if (!val_is(w, "on") && !val_is(w, "off"))
		return false;
	o->no_fastwin = val_is(w, "off");
	return true;
}

static const char *const panic_names[] = {
	[PANIC_HALT] = "halt", [PANIC_OFF] = "off", [PANIC_RESET] = "reset",
};

const char *panic_action_name(enum panic_action a)
{
	return (unsigned int)a < ARRAY_SIZE(panic_names) ? panic_names[a] : "?";
}

static bool arg_panic(const struct word *w, struct boot_options *o)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(panic_names); i++) {
		if (val_is(w, panic_names[i])) {
			o->panic = (enum panic_action)i;
			o->has_panic = true;
			return true;
		}
	}
	return false;
}

/* The arguments: knowledge as data. */
/* An argument is parsed by its function, or (parse == NULL) is a flag that takes "=1"
 * and sets the bool at flag_off in struct boot_options. */
static const struct bootarg {
	const char *key;
	bool test_only;
	bool (*parse)(const struct word *w, struct boot_options *o);
	size_t flag_off;
	const char *accepted; /* its values, as bootarg_ignored shows them */
} bootargs[] = {
	{ "loglevel", false, arg_loglevel, 0, "error|warn|info|debug|trace" },
	{ "runtime_ms", false, arg_runtime_ms, 0, "1..4294967296" },
	{ "panic", false, arg_panic, 0, "halt|off|reset" },
	{ "fastwin", false, arg_fastwin, 0, "on|off" },
	{ "test_fault", true, NULL, offsetof(struct boot_options, test_fault), "1" },
	{ "test_no_kick", true, NULL, offsetof(struct boot_options, test_no_kick), "1" },
	{ "test_rtc", true, NULL, offsetof(struct boot_options, test_rtc), "1" },
	{ "test_stack_overflow", true, NULL, offsetof(struct boot_options, test_stack_overflow), "1" },
	{ "test_linear", true, NULL, offsetof(struct boot_options, test_linear), "1" },
	{ "test_identity", true, NULL, offsetof(struct boot_options, test_identity), "1" },
	{ "test_cpu_on_bad_id", true, NULL, offsetof(struct boot_options, test_cpu_on_bad_id), "1" },
	{ "test_asids", true, arg_test_asids, 0, "1..65535" },
	{ "test_uart_ns", true, arg_test_uart_ns, 0, "1..1000000" },
};

/* The argument names of the table above joined by '|', without and with the test hooks
 * (what bootarg_ignored shows for an unknown argument): derived once from the table. */
static char known_args[2][256];

static const char *known_args_of(bool test_hooks)
{
	char *out = known_args[test_hooks];
	size_t n = 0;

	if (out[0])
		return out;
	for (unsigned int i = 0; i < ARRAY_SIZE(bootargs); i++) {
		size_t len = BH_LIBC(strlen)(bootargs[i].key);

		if (bootargs[i].test_only && !test_hooks)
			continue;
		if (n + len + 2 > sizeof(known_args[0]))
			break; /* not reached: the names take about 130 bytes */
		if (n)
			out[n++] = '|';
		BH_LIBC(memcpy)(out + n, bootargs[i].key, len);
		n += len;
	}
	out[n] = '\0';
	return out;
}

static bool arg_apply(const struct bootarg *a, const struct word *w, struct boot_options *o)
{
	if (a->parse)
		return a->parse(w, o);
	if (!val_is(w, "1"))
		return false;
	*(bool *)((char *)o + a->flag_off) = true;
	return true;
}

static const char *const problem_names[] = {
	[BOOTARG_UNKNOWN] = "unknown argument",
	[BOOTARG_BAD_VALUE] = "value not accepted",
	[BOOTARG_NOT_ENABLED] = "not enabled in this build",
	[BOOTARG_DUPLICATE] = "given more than once; first one kept",
};

const char *bootarg_problem_str(enum bootarg_problem p)
{
	return (unsigned int)p < ARRAY_SIZE(problem_names) ? problem_names[p] : "?";
}

static void add_problem(struct boot_options *o, enum bootarg_problem why, const char *w, size_t n,
			const char *accepted)
{
	if (o->n_problems >= BOOTARGS_MAX_PROBLEMS) {
		o->problems_dropped++;
		return;
	}
	if (n > BOOTARGS_WORD_MAX - 1)
		n = BOOTARGS_WORD_MAX - 1;
	BH_LIBC(memcpy)(o->problems[o->n_problems].word, w, n);
	o->problems[o->n_problems].word[n] = '\0';
	o->problems[o->n_problems].why = why;
	o->problems[o->n_problems].accepted = accepted;
	o->n_problems++;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void bootargs_parse(const char *s, bool test_hooks, struct boot_options *o)
{
	bool seen[ARRAY_SIZE(bootargs)] = { false };

	BH_LIBC(memset)(o, 0, sizeof(*o));
	o->panic = PANIC_HALT;
	if (!s)
		return;
	while (*s) {
		while (is_space(*s))
			s++;
		if (!*s)
			break;
		const char *start = s;
		while (*s && !is_space(*s))
			s++;
		size_t len = (size_t)(s - start);
		const char *eq = BH_LIBC(memchr)(start, '=', len);
		struct word w = {
			.key = start,
			.key_len = eq ? (size_t)(eq - start) : len,
			.val = eq ? eq + 1 : NULL,
			.val_len = eq ? len - (size_t)(eq - start) - 1 : 0,
		};
		enum bootarg_problem why = BOOTARG_UNKNOWN;
		const char *accepted = known_args_of(test_hooks);
		bool ok = false;

		for (unsigned int i = 0; i < ARRAY_SIZE(bootargs); i++) {
			const struct bootarg *a = &bootargs[i];

			if (BH_LIBC(strlen)(a->key) != w.key_len ||
			    BH_LIBC(memcmp)(a->key, w.key, w.key_len) != 0)
				continue;
			if (a->test_only && !test_hooks)
				why = BOOTARG_NOT_ENABLED;
			else if (seen[i])
				why = BOOTARG_DUPLICATE;
			else if (arg_apply(a, &w, o))
				ok = seen[i] = true;
			else
				why = BOOTARG_BAD_VALUE;
			if (why == BOOTARG_BAD_VALUE || why == BOOTARG_DUPLICATE)
				accepted = a->accepted;
			break;
		}
		if (!ok)
			add_problem(o, why, start, len, accepted);
	}
}
