/*
 * core/hm.c, what it reports: the ARINC 653 status view, the bytes a restart wipes, the
 * hm and hm_stats events as JSON lines, and the docs that describe them.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/hm.h"
#include "jsonl.h"

static struct plan plan;
static struct plan_partition parts[16]; /* the plan's partition table (plan_parse's arena) */
static struct hm hm;
static void *mem;

/* One partition "p0" with this policy, booted and in normal when started is true. */
static void build(const enum plan_hm_action act[HM_CLASSES], uint32_t limit, bool started)
{
	memset(&plan, 0, sizeof(plan));
	memset(parts, 0, sizeof(parts));
	plan.part = parts;
	plan.n_part = 1;
	plan.system_action = PLAN_SYSTEM_OFF;
	strcpy(plan.part[0].name, "p0");
	plan.part[0].hm.restart_limit = limit;
	memcpy(plan.part[0].hm.action, act, sizeof(plan.part[0].hm.action));
	mem = malloc(hm_mem_bytes(&plan));
	cr_assert_eq(hm_build(&hm, &plan, mem, hm_mem_bytes(&plan)), HM_OK);
	if (started) {
		cr_assert_eq(hm_transition(&hm, 0, HM_EV_BOOT), HM_OK);
		cr_assert_eq(hm_transition(&hm, 0, HM_EV_START_DONE), HM_OK);
	}
}

static void teardown(void)
{
	free(mem);
	mem = NULL;
}

TestSuite(hm_report, .fini = teardown);

static void must(enum hm_err e)
{
	cr_assert_eq(e, HM_OK, "%s", hm_strerror(e));
}

Test(hm_report, status_gives_arinc_mode_and_start_condition)
{
	enum plan_hm_action act[HM_CLASSES] = { [HM_FAULT] = HM_ACT_WARM_RESTART,
						[HM_DEADLINE_MISS] = HM_ACT_COLD_RESTART,
						[HM_SYSCALL_VIOLATION] = HM_ACT_RESTART_CELL };
	struct bh_partition_status st = { .index = 7, .cpu = 3 };
	struct hm_detail d = { .cell = 0 };
	struct hm_decision dec;

	build(act, 5, false);
	must(hm_status(&hm, 0, &st));
	cr_assert_eq(st.mode, BH_MODE_IDLE);
	must(hm_transition(&hm, 0, HM_EV_BOOT));
	must(hm_status(&hm, 0, &st));
	cr_assert_eq(st.mode, BH_MODE_COLD_START);
	cr_assert_eq(st.start_condition, BH_START_NORMAL);
	must(hm_transition(&hm, 0, HM_EV_START_DONE));
	must(hm_detect(&hm, 0, HM_SYSCALL_VIOLATION, 1, &d, &dec));
	must(hm_status(&hm, 0, &st));
	cr_assert_eq(st.mode, BH_MODE_NORMAL);
	cr_assert_eq(st.start_condition, BH_START_NORMAL, "a cell restart is not a partition start");
	cr_assert_eq(st.restarts, 0);
	must(hm_detect(&hm, 0, HM_FAULT, 2, &d, &dec));
	must(hm_status(&hm, 0, &st));
	cr_assert_eq(st.mode, BH_MODE_WARM_START);
	cr_assert_eq(st.start_condition, BH_START_HM_PARTITION_RESTART);
	cr_assert_eq(st.restarts, 1);
	must(hm_transition(&hm, 0, HM_EV_START_DONE));
	must(hm_detect(&hm, 0, HM_DEADLINE_MISS, 3, &d, &dec));
	must(hm_status(&hm, 0, &st));
	cr_assert_eq(st.mode, BH_MODE_COLD_START);
	cr_assert_eq(st.restarts, 2);
	must(hm_transition(&hm, 0, HM_EV_STOP));
	must(hm_status(&hm, 0, &st));
	cr_assert_eq(st.mode, BH_MODE_IDLE, "stopped reads as IDLE");
	cr_assert_eq(st.index, 7, "the caller's fields are left alone");
	cr_assert_eq(st.cpu, 3);
	cr_assert_eq(hm_status(&hm, 1, &st), HM_ERR_PARTITION);
	for (int s = 0; s < HM_STATES; s++)
		cr_assert_lt((unsigned int)hm_mode(s), 4u);
}

Test(hm_report, a_restart_wipes_all_but_what_it_keeps)
{
	struct hm_policy pol = { .memory_bytes = 0x100000, .persistent_bytes = 0x3000 };

	cr_assert_eq(hm_wipe_bytes(&pol, HM_ACT_COLD_RESTART), 0x100000);
	cr_assert_eq(hm_wipe_bytes(&pol, HM_ACT_WARM_RESTART), 0x100000 - 0x3000);
	cr_assert_eq(hm_wipe_bytes(&pol, HM_ACT_RESTART_CELL), 0);
	cr_assert_eq(hm_wipe_bytes(&pol, HM_ACT_STOP), 0);
}

static void parse_line(const struct log_field *f, size_t n, const char *ev, struct jobj *o)
{
	char line[LOG_LINE_MAX + 1];
	size_t len = log_format(line, sizeof(line), 123456789, 1, LOG_WARN, "hm", ev, f, n);

	cr_log_info("%.*s", (int)len, line);
	cr_assert(jsonl_parse(line, o), "%s", line);
	cr_assert_null(jobj_get(o, "trunc"), "%s", line);
}

Test(hm_report, events_carry_the_documented_fields)
{
	enum plan_hm_action act[HM_CLASSES] = { [HM_MEMORY_VIOLATION] = HM_ACT_COLD_RESTART };
	struct hm_detail d = { .cell = 1, .detail = "far=0x0 \"quoted\"" };
	struct log_field f[HM_STATS_FIELDS];
	struct hm_decision dec;
	struct hm_stats s;
	struct jobj o;

	build(act, 1, true);
	strcpy(plan.part[0].name, "a-twenty-three-char-nam"); /* the longest name */
	must(hm_detect(&hm, 0, HM_MEMORY_VIOLATION, 1, &d, &dec));
	cr_assert_eq(hm_event_fields(&dec, f), HM_EVENT_FIELDS);
	parse_line(f, HM_EVENT_FIELDS, "hm", &o);
	cr_assert_str_eq(jobj_str(&o, "partition"), "a-twenty-three-char-nam");
	cr_assert_str_eq(jobj_str(&o, "cell"), "watchdog");
	cr_assert_str_eq(jobj_str(&o, "class"), "memory-violation");
	cr_assert_str_eq(jobj_str(&o, "detail"), "far=0x0 \"quoted\"");
	cr_assert_str_eq(jobj_str(&o, "planned"), "cold-restart");
	cr_assert_str_eq(jobj_str(&o, "action"), "cold-restart");
	cr_assert_str_eq(jobj_str(&o, "limit"), "false");
	cr_assert_eq(jobj_u64(&o, "restarts", 99), 1);
	cr_assert_eq(jobj_u64(&o, "cell_restarts", 99), 0);
	cr_assert_eq(jobj_u64(&o, "window_restarts", 99), 1);
	cr_assert_str_eq(jobj_str(&o, "state"), "cold-start");

	must(hm_stats(&hm, 0, &s));
	cr_assert_eq(s.detections[HM_MEMORY_VIOLATION], 1);
	/* The widest line a long run can give: every counter at a million. */
	s.restarts = s.cell_restarts = s.refused = 999999;
	for (int k = 0; k < HM_CLASSES; k++)
		s.detections[k] = 999999;
	s.detections[HM_FAULT] = 4;
	s.state = HM_STATE_WARM_START;
	cr_assert_eq(hm_stats_fields(&s, f), HM_STATS_FIELDS);
	parse_line(f, HM_STATS_FIELDS, "hm_stats", &o);
	cr_assert_str_eq(jobj_str(&o, "partition"), "a-twenty-three-char-nam");
	cr_assert_str_eq(jobj_str(&o, "state"), "warm-start");
	cr_assert_eq(jobj_u64(&o, "fault", 0), 4);
	cr_assert_eq(jobj_u64(&o, "illegal_instruction", 0), 999999);
	cr_assert_eq(jobj_u64(&o, "restart_limit", 0), 999999);
	cr_assert_eq(jobj_u64(&o, "refused", 0), 999999);
	cr_assert_eq(hm_stats(&hm, 1, &s), HM_ERR_PARTITION);
}

Test(hm_report, names)
{
	for (int e = 0; e <= HM_ERR_COUNT; e++)
		cr_assert_not_null(hm_strerror(e));
	cr_assert_str_eq(hm_strerror(HM_ERR_COUNT), "unknown hm error");
	for (int s = 0; s < HM_STATES; s++)
		cr_assert_neq(strcmp(hm_state_name(s), "?"), 0);
	for (int e = 0; e < HM_EVENTS; e++)
		cr_assert_neq(strcmp(hm_event_name(e), "?"), 0);
	cr_assert_str_eq(hm_state_name(HM_STATES), "?");
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "%s (run from the source tree)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* The line of doc that starts with start (a table row), as its own string. */
static char *doc_line(char *doc, const char *start, const char *path)
{
	char *l = strstr(doc, start);

	cr_assert_not_null(l, "%s has no line '%s'", path, start);
	char *end = strchr(l, '\n');

	if (end)
		*end = '\0';
	return l;
}

/* Every field the events carry is in their rows of docs/log-events.md, and every class,
 * action, state and rule has its word in docs/health.md or docs/plan.md. */
Test(hm_report, the_docs_name_every_field_class_action_and_rule)
{
	struct log_field f[HM_STATS_FIELDS];
	struct hm_decision dec = { .partition = "p", .detail = "" };
	struct hm_stats s = { .partition = "p" };
	char *events = read_file("docs/log-events.md");
	char *health = read_file("docs/health.md");
	char *plan_doc = read_file("docs/plan.md");
	char *copy1 = strdup(events), *copy2 = strdup(events);
	char *hm_row = doc_line(copy1, "| `hm` |", "docs/log-events.md");
	char *stats_row = doc_line(copy2, "| `hm_stats` |", "docs/log-events.md");
	char word[48];
	size_t n;

	n = hm_event_fields(&dec, f);
	for (size_t i = 0; i < n; i++) {
		snprintf(word, sizeof(word), "`%s`", f[i].key);
		cr_assert_not_null(strstr(hm_row, word), "hm row lacks %s", word);
		cr_assert_not_null(strstr(health, word), "docs/health.md lacks %s", word);
	}
	n = hm_stats_fields(&s, f);
	for (size_t i = 0; i < n; i++) {
		snprintf(word, sizeof(word), "`%s`", f[i].key);
		cr_assert_not_null(strstr(stats_row, word), "hm_stats row lacks %s", word);
		cr_assert_not_null(strstr(health, word), "docs/health.md lacks %s", word);
	}
	for (int k = 0; k < HM_CLASSES; k++) {
		snprintf(word, sizeof(word), "| `%s`", plan_hm_class_name(k));
		cr_assert_not_null(strstr(health, word), "docs/health.md has no row for %s", word);
	}
	for (int a = 0; a < HM_ACTIONS; a++) {
		snprintf(word, sizeof(word), "| `%s` |", plan_hm_action_name(a));
		cr_assert_not_null(strstr(health, word), "docs/health.md has no row for %s", word);
	}
	for (int st = 0; st < HM_STATES; st++) {
		snprintf(word, sizeof(word), "| %s |", hm_state_name(st));
		cr_assert_not_null(strstr(health, word), "lifecycle table lacks %s", word);
	}
	for (int r = RULE_HM_ACTION; r < RULE_COUNT; r++) {
		if (r > RULE_PERSISTENT_MEMORY)
			break; /* rules added after these are documented by their own tests */
		snprintf(word, sizeof(word), "| `%s` |", plan_rule_name(r));
		cr_assert_not_null(strstr(plan_doc, word), "docs/plan.md has no row for %s", word);
	}
	free(copy1);
	free(copy2);
	free(events);
	free(health);
	free(plan_doc);
}
