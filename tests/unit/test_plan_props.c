/*
 * Property tests of the plan validator with a seeded generator (plan_gen.c): every
 * random valid plan is accepted, and every single mutation that breaks a rule is
 * rejected by that rule. Seeds are fixed: a failure names its seed and repeats.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include "tests/unit/plan_arena.h"
#include "dt/plan.h"
#include "plan_gen.h"

#define SEEDS 400
#define BLOB_MAX 65536

static struct plan plan;
static struct plan_report rep;

static enum plan_err validate(const struct gen_plan *g)
{
	static char blob[BLOB_MAX];
	size_t n = gen_write(g, blob, sizeof(blob));

	plan_report_init(&rep);
	if (plan_parse(blob, n, &plan, test_arena(), &rep) != PLAN_OK)
		return PLAN_INVALID;
	return plan_check(&plan, NULL, 0, &rep);
}

static bool has_rule(enum plan_rule r)
{
	for (unsigned int i = 0; i < rep.n; i++)
		if (rep.e[i].rule == r)
			return true;
	return false;
}

Test(plan_props, random_valid_plans_are_accepted)
{
	struct gen_plan g;

	for (uint64_t seed = 1; seed <= SEEDS; seed++) {
		gen_random(&g, seed);
		enum plan_err e = validate(&g);

		cr_assert_eq(e, PLAN_OK, "seed %llu: %s: %s [%s]", (unsigned long long)seed,
			     rep.n ? rep.e[0].path : "", rep.n ? rep.e[0].what : "",
			     rep.n ? plan_rule_name(rep.e[0].rule) : "");
		cr_assert_eq((int)plan.n_part, g.n_part);
		cr_assert_eq((int)plan.n_chan, g.n_chan);
	}
}

Test(plan_props, each_single_mutation_is_rejected_by_its_rule)
{
	unsigned int applied[MUT_COUNT] = { 0 };
	struct gen_plan g;

	for (uint64_t seed = 1; seed <= SEEDS; seed++) {
		for (int m = 0; m < MUT_COUNT; m++) {
			enum plan_rule rule;

			gen_random(&g, seed);
			if (!gen_mutate(&g, (enum gen_mutation)m, seed * 31 + (uint64_t)m, &rule))
				continue;
			applied[m]++;
			cr_assert_eq(validate(&g), PLAN_INVALID, "seed %llu mutation %d accepted",
				     (unsigned long long)seed, m);
			cr_assert(has_rule(rule), "seed %llu mutation %d: no [%s] among %u errors (first: %s: %s [%s])",
				  (unsigned long long)seed, m, plan_rule_name(rule), rep.n,
				  rep.n ? rep.e[0].path : "", rep.n ? rep.e[0].what : "",
				  rep.n ? plan_rule_name(rep.e[0].rule) : "");
		}
	}
	for (int m = 0; m < MUT_COUNT; m++)
		cr_assert_gt(applied[m], SEEDS / 10, "mutation %d applied only %u times", m, applied[m]);
}
