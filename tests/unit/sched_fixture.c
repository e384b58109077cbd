/* The scheduler's unit tests' shared plan builder (sched_fixture.h). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sched_fixture.h"

struct plan *plan;
void *mem;
struct sched s;

void new_plan(uint32_t frame_us)
{
	plan = calloc(1, sizeof(*plan));
	cr_assert_not_null(plan);
	/* Tables as plan_parse would carve them, with room for what these tests add. */
	plan->part = calloc(TEST_PARTS, sizeof(*plan->part));
	cr_assert_not_null(plan->part);
	for (unsigned int c = 0; c < PLAN_MAX_CPUS; c++) {
		plan->sched[c].w = calloc(TEST_WINDOWS, sizeof(*plan->sched[c].w));
		cr_assert_not_null(plan->sched[c].w);
	}
	plan->version = PLAN_VERSION;
	plan->major_frame_us = frame_us;
}

/* A partition whose cells are both aperiodic (always ready), priorities 10 and 20. */
int add_part(const char *name, uint32_t cpu)
{
	struct plan_partition *pp = &plan->part[plan->n_part];

	cr_assert_lt(plan->n_part, TEST_PARTS);

	strcpy(pp->name, name);
	pp->cpu = cpu;
	for (unsigned int k = 0; k < PLAN_CELLS; k++)
		pp->cell[k] = (struct plan_cell){ .priority = 10 + 10 * k, .stack_bytes = 4096 };
	return (int)plan->n_part++;
}

void periodic(int part, unsigned int cell, uint32_t prio, uint32_t period_us,
	      uint32_t deadline_us)
{
	plan->part[part].cell[cell] = (struct plan_cell){ .priority = prio, .stack_bytes = 4096,
		.periodic = true, .period_us = period_us, .deadline_us = deadline_us,
		.wcet_us = 1 };
}

void window(uint32_t cpu, const char *part, uint32_t off_us, uint32_t dur_us)
{
	unsigned int i;

	for (i = 0; i < plan->n_sched && plan->sched[i].cpu != cpu; i++)
		;
	if (i == plan->n_sched) {
		plan->sched[i].cpu = cpu;
		plan->n_sched++;
	}
	struct plan_cpu *pc = &plan->sched[i];
	cr_assert_lt(pc->n, TEST_WINDOWS);
	strcpy(pc->w[pc->n].partition, part);
	pc->w[pc->n].offset_us = off_us;
	pc->w[pc->n].duration_us = dur_us;
	pc->n++;
}

enum sched_err build(void)
{
	size_t bytes = sched_mem_bytes(plan);

	free(mem);
	mem = aligned_alloc(16, ALIGN_UP(bytes, 16) + 16);
	cr_assert_not_null(mem);
	return sched_build(&s, plan, EPOCH, mem, bytes);
}

struct sched_cpu *built_cpu(uint32_t cpu)
{
	cr_assert_eq(build(), SCHED_OK);
	struct sched_cpu *c = sched_cpu(&s, cpu);
	cr_assert_not_null(c);
	return c;
}

static void teardown(void)
{
	for (unsigned int c = 0; plan && c < PLAN_MAX_CPUS; c++)
		free(plan->sched[c].w);
	if (plan)
		free(plan->part);
	free(plan);
	free(mem);
	plan = NULL;
	mem = NULL;
}

/* For every test of the suite, in test_sched.c and test_sched_cells.c. */
TestSuite(sched, .fini = teardown);
