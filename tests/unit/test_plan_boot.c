/* core/plan_boot.c: what the kernel logs for a good and a refused plan (host, real sink). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "core/log.h"
#include "core/plan_boot.h"
#include "fixture.h"
#include "jsonl.h"
#include "tests/unit/plan_arena.h"

static char out[16384];
static size_t out_len;
static void sink_write(void *ctx, const char *l, size_t n)
{
	cr_assert_lt(out_len + n, sizeof(out));
	memcpy(out + out_len, l, n);
	out_len += n;
	out[out_len] = '\0';
}
static uint64_t sink_now(void *ctx) { return 1; }
static unsigned int sink_cpu(void *ctx) { return 0; }

static struct plan_state st;
static struct platform plat;

/* Lines logged, parsed; returns how many. */
static int lines(struct jobj *o, int max)
{
	int n = 0;
	char *save = NULL, *copy = strdup(out);

	for (char *l = strtok_r(copy, "\n", &save); l && n < max; l = strtok_r(NULL, "\n", &save))
		cr_assert(jsonl_parse(l, &o[n++]), "not JSON: %s", l);
	free(copy);
	return n;
}

static bool load(const char *plan_fixture, enum log_level level)
{
	static const struct log_sink sink = { sink_write, sink_now, sink_cpu, NULL, NULL, NULL };
	size_t plen, len;
	void *pblob = fixture_load("qemu-virt-gicv3-4cpu.dtb", &plen);
	void *blob = fixture_load(plan_fixture, &len);
	struct dt_diag d;
	bool ok;

	cr_assert_eq(platform_parse(pblob, plen, 8, &plat, &d), DT_OK);
	out_len = 0;
	out[0] = '\0';
	log_init(&sink, level);
	struct plan_boot in = { blob, len, "initrd",
				{ pblob, &plat, { pa_init(0x40200000), 0x200000 },
				  { pa_init(0x40000000), plen }, { pa_init(0), 0 } } };
	st.arena = *test_arena();
	ok = plan_boot_load(&in, &st);
	free(blob);
	free(pblob);
	return ok;
}

Test(plan_boot, a_good_plan_is_one_info_line_with_its_digest)
{
	struct jobj o[4];

	cr_assert(load("../plans/demo.dtb", LOG_INFO));
	cr_assert_eq(lines(o, 4), 1, "%s", out);
	cr_assert_str_eq(jobj_str(&o[0], "ev"), "plan");
	cr_assert_str_eq(jobj_str(&o[0], "lvl"), "info");
	cr_assert_str_eq(jobj_str(&o[0], "source"), "initrd");
	cr_assert_eq(jobj_u64(&o[0], "partitions", 0), 3);
	cr_assert_eq(jobj_u64(&o[0], "windows", 0), 4);
	cr_assert_eq(jobj_u64(&o[0], "table_bytes", 0), st.arena.used);
	cr_assert_gt(st.arena.used, 3 * sizeof(struct plan_partition), "the tables came from the arena");
	cr_assert_eq(strlen(jobj_str(&o[0], "sha256")), 64);
	cr_assert_str_eq(jobj_str(&o[0], "sha256"), st.sha256);

	cr_assert(load("../plans/demo.dtb", LOG_WARN));
	cr_assert_str_eq(out, "", "silent at the default level");
}

Test(plan_boot, a_refused_plan_lists_findings_then_the_refusal)
{
	struct jobj o[8];

	cr_assert_not(load("plans/bad-window-cpu.dtb", LOG_WARN));
	cr_assert_eq(lines(o, 8), 3, "%s", out);
	cr_assert_str_eq(jobj_str(&o[0], "rule"), "window-cpu");
	cr_assert_str_eq(jobj_str(&o[0], "path"), "/schedule/cpu@1/window@0");
	cr_assert_str_eq(jobj_str(&o[1], "rule"), "partition-unscheduled");
	cr_assert_str_eq(jobj_str(&o[2], "ev"), "plan_refused");
	cr_assert_eq(jobj_u64(&o[2], "errors", 0), 2);
	for (int i = 0; i < 3; i++)
		cr_assert_str_eq(jobj_str(&o[i], "lvl"), "error");
}

Test(plan_boot, a_plan_naming_a_program_not_in_the_image_table_is_refused)
{
	struct jobj o[8];

	cr_assert_not(load("plans/bad-image-unknown.dtb", LOG_WARN));
	cr_assert_eq(lines(o, 8), 2, "%s", out);
	cr_assert_str_eq(jobj_str(&o[0], "rule"), "image-unknown");
	cr_assert_str_eq(jobj_str(&o[0], "path"), "/partitions/beta");
	cr_assert(strstr(jobj_str(&o[0], "what"), "'no-such-program'"), "%s", out);
	cr_assert_str_eq(jobj_str(&o[1], "ev"), "plan_refused");
}
