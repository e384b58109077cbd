/* Plans written by the Xen system tests (xen_plan.h). */
#include "xen_plan.h"
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "qemu.h"

#define DIR BH_BUILD "/test/xen"

void xen_text_add(struct xen_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	cr_assert_geq(n, 0);
	if (t->len + (size_t)n + 1 > t->cap) {
		t->cap = (t->len + (size_t)n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		cr_assert_not_null(t->s);
	}
	va_start(ap, fmt);
	vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	t->len += (size_t)n;
}

void xen_text_free(struct xen_text *t)
{
	free(t->s);
	*t = (struct xen_text){ 0 };
}

void xen_tree_path(const char *rel, char out[512])
{
	char cwd[384];

	cr_assert_not_null(getcwd(cwd, sizeof(cwd)));
	snprintf(out, 512, "%s/%s", cwd, rel);
}

void xen_plan_write(const char *name, const char *text, char dtb[256])
{
	char dts[256];
	struct qemu_run r;
	FILE *f;

	run_capture((const char *[]){ "mkdir", "-p", DIR, NULL }, 10, true, &r);
	qemu_run_free(&r);
	snprintf(dts, sizeof(dts), DIR "/%s.dts", name);
	snprintf(dtb, 256, DIR "/%s.dtb", name);
	f = fopen(dts, "w");
	cr_assert_not_null(f, "cannot write %s", dts);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
	run_capture((const char *[]){ BH_BUILD "/bin/bhplan", "check", dts, NULL }, 60, true, &r);
	cr_assert_eq(r.exit_status, 0, "bhplan check %s:\n%s", dts, r.output);
	qemu_run_free(&r);
	run_capture((const char *[]){ "dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts, NULL }, 60,
		    true, &r);
	cr_assert_eq(r.exit_status, 0, "dtc %s:\n%s", dts, r.output);
	qemu_run_free(&r);
}

int xen_slots(const unsigned int (*gaps)[3], int n_gaps, unsigned int slot_us, struct xen_slot *out,
	      int max)
{
	int n = 0;

	for (int g = 0; g < n_gaps; g++)
		for (unsigned int t = gaps[g][1]; t + slot_us <= gaps[g][2] && n < max; t += slot_us)
			out[n++] = (struct xen_slot){ gaps[g][0], t, slot_us };
	return n;
}

int xen_slots_for(const unsigned int (*gaps)[3], int n_gaps, int n, struct xen_slot *out, int max)
{
	static const unsigned int lengths[] = { 2000, 1000, 800, 500, 400, 200 };

	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		int got = xen_slots(gaps, n_gaps, lengths[i], out, max);

		if (got >= n)
			return got;
	}
	cr_assert_fail("%d subjects do not fit the gaps in 0.2 ms windows", n);
	return 0;
}
