/* image-sha256 (dt/plan_digest.c): parsed, checked against an image table (rule
 * image-digest), and refused by the kernel's plan loading when it does not match. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/unit/plan_arena.h"
#include "core/images.h"
#include "core/log.h"
#include "core/plan_boot.h"
#include "dt/plan.h"
#include "fixture.h"

static struct plan plan;
static struct plan_report rep;

static enum plan_err parse(const char *name)
{
	size_t len;
	void *blob = fixture_load(name, &len);
	enum plan_err e;

	plan_report_init(&rep);
	e = plan_parse(blob, len, &plan, test_arena(), &rep);
	free(blob);
	return e;
}

Test(plan_digest, parsed_as_64_hex_digits)
{
	cr_assert_eq(parse("plans/image-sha256.dtb"), PLAN_OK);
	cr_assert(plan.part[0].has_image_sha256);
	cr_assert_eq(plan.part[0].image_sha256[0], 0);
	cr_assert_eq(plan.part[0].image_sha256[31], 0xff);
	cr_assert_not(plan.part[1].has_image_sha256);

	cr_assert_eq(parse("plans/bad-image-sha256.dtb"), PLAN_INVALID);
	cr_assert_eq(rep.n, 1);
	cr_assert_eq(rep.e[0].rule, RULE_PROPERTY);
	cr_assert_str_eq(rep.e[0].path, "/partitions/alpha");
	cr_assert(strstr(rep.e[0].what, "'image-sha256' must be one string of 64 hex digits"));
}

Test(plan_digest, checked_against_the_image_table)
{
	const struct image_entry *img = image_find("demo-sensors");
	struct plan_image_digest d = { "demo-sensors", img->sha256 };
	struct plan_image_digest other = { "demo-logger", image_find("demo-logger")->sha256 };

	cr_assert_eq(parse("plans/image-sha256.dtb"), PLAN_OK);
	cr_assert_eq(plan_check(&plan, NULL, 0, &rep), PLAN_OK);
	cr_assert_eq(plan_check_digests(&plan, &other, 1, &rep), PLAN_OK,
		     "a program not in the table is left to image-unknown");
	cr_assert_eq(plan_check_digests(&plan, &d, 1, &rep), PLAN_INVALID);
	cr_assert_eq(rep.n, 1);
	cr_assert_eq(rep.e[0].rule, RULE_IMAGE_DIGEST);
	cr_assert_str_eq(plan_rule_name(RULE_IMAGE_DIGEST), "image-digest");
	cr_assert_str_eq(rep.e[0].path, "/partitions/alpha");
	char want[80] = "image 'demo-sensors' is sha256 ";

	for (int i = 0; i < 4; i++)
		snprintf(want + strlen(want), 3, "%02x", img->sha256[i]);
	cr_assert(strstr(rep.e[0].what, want), "%s", rep.e[0].what);
	cr_assert(strstr(rep.e[0].what, "not the plan's image-sha256"));

	/* The right digest passes. */
	memcpy(plan.part[0].image_sha256, img->sha256, 32);
	plan_report_init(&rep);
	cr_assert_eq(plan_check_digests(&plan, &d, 1, &rep), PLAN_OK);
	cr_assert_eq(rep.n, 0);
}

static char out[16384];
static size_t out_len;
static void sink_write(void *ctx, const char *l, size_t n)
{
	if (out_len + n < sizeof(out)) {
		memcpy(out + out_len, l, n);
		out_len += n;
		out[out_len] = '\0';
	}
}
static uint64_t sink_now(void *ctx) { return 1; }
static unsigned int sink_cpu(void *ctx) { return 0; }

Test(plan_digest, the_kernel_refuses_a_plan_whose_digest_differs)
{
	static const struct log_sink sink = { sink_write, sink_now, sink_cpu, NULL, NULL, NULL };
	static struct plan_state st;
	static struct platform plat;
	size_t plen, len;
	void *pblob = fixture_load("qemu-virt-gicv3-4cpu.dtb", &plen);
	void *blob = fixture_load("plans/image-sha256.dtb", &len);
	struct dt_diag d;

	cr_assert_eq(platform_parse(pblob, plen, 8, &plat, &d), DT_OK);
	log_init(&sink, LOG_WARN);
	struct plan_boot in = { blob, len, "initrd",
				{ pblob, &plat, { pa_init(0x40200000), 0x200000 },
				  { pa_init(0x40000000), plen }, { pa_init(0), 0 } } };

	st.arena = *test_arena();
	cr_assert_not(plan_boot_load(&in, &st));
	cr_assert(strstr(out, "\"rule\":\"image-digest\""), "%s", out);
	cr_assert(strstr(out, "\"path\":\"/partitions/alpha\""), "%s", out);
	free(blob);
	free(pblob);
}
