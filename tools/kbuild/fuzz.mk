# make fuzz: libFuzzer (Debian's clang 14) on the plan parser and validator, bounded by
# FUZZ_SECONDS. The corpus starts from the shipped plans and the rule fixtures; crashers
# land in build/fuzz/ and belong in tests/fuzz/regressions/plan (replayed by make test).
FUZZ_CC ?= clang-14
FUZZ_SECONDS ?= 600
FUZZ_SRCS := dt/dt_error.c dt/fdt_read.c dt/platform.c dt/plan_report.c dt/plan_read.c dt/plan_parse.c \
	dt/plan_check.c dt/plan_sched.c dt/plan_platform.c core/lib/strbuf.c \
	tests/fuzz/fuzz_plan.c tests/fuzz/fuzz_plan_one.c
FUZZ_SRCS += dt/plan_hm.c
FUZZ_STAMP := $(O)/deps/.fuzz-installed

$(FUZZ_STAMP): tools/install-deps.sh
	@tools/install-deps.sh --fuzz
	@mkdir -p $(dir $@) && touch $@

$(O)/fuzz/fuzz_plan: $(FUZZ_SRCS) $(FUZZ_STAMP) $(wildcard dt/*.h core/lib/*.h tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	@$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -I. -Itests/fuzz -DBH_HOST \
		-DBH_FIXTURES='"$(O)/fixtures"' -o $@ $(FUZZ_SRCS) -lfdt

.PHONY: fuzz
fuzz: $(O)/fuzz/fuzz_plan $(FIXTURE_DTB) $(PLANS_DTB)
	@mkdir -p $(O)/fuzz/corpus
	@cp $(PLANS_DTB) $(filter $(O)/fixtures/plans/%,$(FIXTURE_DTB)) $(O)/fuzz/corpus/
	@echo "== fuzzing the plan parser and validator for $(FUZZ_SECONDS) s"
	@$(O)/fuzz/fuzz_plan -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-dict=tests/fuzz/plan.dict -artifact_prefix=$(O)/fuzz/ -print_final_stats=1 \
		$(O)/fuzz/corpus tests/fuzz/regressions/plan \
	  || { echo "fuzz: found a problem: build/fuzz/crash-* (add it to tests/fuzz/regressions/plan)"; exit 1; }
