#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace.h"

static struct trace_line *next_line(struct trace *t)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->l = realloc(t->l, (size_t)t->cap * sizeof(*t->l));
		cr_assert_not_null(t->l);
	}
	memset(&t->l[t->n], 0, sizeof(t->l[0]));
	return &t->l[t->n++];
}

void trace_add_print(struct trace *t, const struct jobj *p)
{
	struct trace_line *l = next_line(t);
	const char *s = jobj_str(p, "text");
	int w = snprintf(l->text, sizeof(l->text), "print %s ", jobj_str(p, "partition"));
	size_t n = w < 0 ? 0 : (size_t)w < sizeof(l->text) ? (size_t)w : sizeof(l->text) - 1;

	while (*s && n + 1 < sizeof(l->text)) {
		size_t digits = strspn(s, "0123456789");

		if (digits && (!strncmp(s + digits, " ns", 3) || !strncmp(s + digits, " us", 3))) {
			l->text[n++] = '#';
			s += digits;
		} else if (digits) {
			size_t k = digits < sizeof(l->text) - 1 - n ? digits : sizeof(l->text) - 1 - n;

			memcpy(l->text + n, s, k);
			n += k;
			s += digits;
		} else {
			l->text[n++] = *s++;
		}
	}
	l->text[n] = '\0';
}

void trace_add_window(struct trace *t, const struct jobj *w, bool with_cpu)
{
	struct trace_line *l = next_line(t);
	char cpu[16] = "";

	if (with_cpu)
		snprintf(cpu, sizeof(cpu), "cpu %llu ", (unsigned long long)jobj_u64(w, "cpu", 99));
	snprintf(l->text, sizeof(l->text), "window %s%s %llu %llu", cpu, jobj_str(w, "partition"),
		 (unsigned long long)jobj_u64(w, "frame", 0),
		 (unsigned long long)jobj_u64(w, "planned_ns", 0));
	l->actual_ns = jobj_u64(w, "actual_ns", 0);
}

static int by_text(const void *a, const void *b)
{
	const struct trace_line *x = a, *y = b;
	int c = strcmp(x->text, y->text);

	return c ? c : (x->actual_ns > y->actual_ns) - (x->actual_ns < y->actual_ns);
}

void trace_sort(struct trace *t)
{
	if (t->n)
		qsort(t->l, (size_t)t->n, sizeof(t->l[0]), by_text);
}

void trace_assert_same(const struct trace *got, const struct trace *want, const char *what)
{
	trace_assert_same_within(got, want, TRACE_SLACK_NS, what);
}

void trace_assert_same_within(const struct trace *got, const struct trace *want, uint64_t slack_ns,
			      const char *what)
{
	int n = got->n < want->n ? got->n : want->n;

	for (int i = 0; i < n; i++) {
		const struct trace_line *g = &got->l[i], *w = &want->l[i];
		uint64_t d = g->actual_ns > w->actual_ns ? g->actual_ns - w->actual_ns
							 : w->actual_ns - g->actual_ns;

		if (strcmp(g->text, w->text))
			cr_assert_fail("%s: line %d of %d/%d differs: '%s', expected '%s'", what, i,
				       got->n, want->n, g->text, w->text);
		cr_assert_leq(d, slack_ns, "%s: '%s' started at %llu ns, expected %llu ns (+-%llu)",
			      what, g->text, (unsigned long long)g->actual_ns,
			      (unsigned long long)w->actual_ns, (unsigned long long)slack_ns);
	}
	if (got->n != want->n)
		cr_assert_fail("%s: %d lines, expected %d (the first extra one: '%s')", what, got->n,
			       want->n, got->n > n ? got->l[n].text : want->l[n].text);
}

void trace_free(struct trace *t)
{
	free(t->l);
	memset(t, 0, sizeof(*t));
}
