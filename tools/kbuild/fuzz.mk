# make fuzz: libFuzzer (Debian's clang 14), bounded by FUZZ_SECONDS, on FUZZ_TARGET:
#   plan  the plan parser and validator (corpus: the shipped plans and the rule fixtures)
#   elf   the ELF loader (corpus: the real and generated test programs)
#   all   each in turn
# Crashers land in build/fuzz/ and belong in tests/fuzz/regressions/TARGET (replayed by
# make test).
FUZZ_TARGET ?= plan
FUZZ_TARGETS := plan elf
FUZZ_CC ?= clang-14
FUZZ_SECONDS ?= 600
FUZZ_SRCS := dt/dt_error.c dt/fdt_read.c dt/platform.c dt/plan_report.c dt/plan_read.c dt/plan_parse.c \
	dt/plan_check.c dt/plan_sched.c dt/plan_platform.c core/lib/strbuf.c \
	tests/fuzz/fuzz_plan.c tests/fuzz/fuzz_plan_one.c
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

.PHONY: fuzz fuzz-plan fuzz-elf
fuzz: $(if $(filter all,$(FUZZ_TARGET)),$(addprefix fuzz-,$(FUZZ_TARGETS)),fuzz-$(FUZZ_TARGET))
ifeq ($(filter $(FUZZ_TARGET),all $(FUZZ_TARGETS)),)
$(error FUZZ_TARGET=$(FUZZ_TARGET): one of all $(FUZZ_TARGETS))
endif
ifeq ($(FUZZ_TARGET),all)
fuzz-elf: | fuzz-plan
endif

fuzz-plan: $(O)/fuzz/fuzz_plan $(FIXTURE_DTB) $(PLANS_DTB)
	@mkdir -p $(O)/fuzz/corpus
	@cp $(PLANS_DTB) $(filter $(O)/fixtures/plans/%,$(FIXTURE_DTB)) $(O)/fuzz/corpus/
	@echo "== fuzzing the plan parser and validator for $(FUZZ_SECONDS) s"
	@$(O)/fuzz/fuzz_plan -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-dict=tests/fuzz/plan.dict -artifact_prefix=$(O)/fuzz/ -print_final_stats=1 \
		$(O)/fuzz/corpus tests/fuzz/regressions/plan \
	  || { echo "fuzz: found a problem: build/fuzz/crash-* (add it to tests/fuzz/regressions/plan)"; exit 1; }

# make clean removes the ELF fuzzer too (its corpus in build/fuzz/corpus-elf stays).
.PHONY: clean-fuzz-elf
clean: clean-fuzz-elf
clean-fuzz-elf:
	rm -f $(O)/fuzz/fuzz_elf

FUZZ_ELF_SRCS := core/elf.c tests/fuzz/fuzz_elf.c tests/fuzz/fuzz_elf_one.c
$(O)/fuzz/fuzz_elf: $(FUZZ_ELF_SRCS) $(FUZZ_STAMP) core/elf.h core/lib/compiler.h tests/fuzz/fuzz_elf.h
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	@$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -I. -Itests/fuzz -DBH_HOST -o $@ $(FUZZ_ELF_SRCS)

fuzz-elf: $(O)/fuzz/fuzz_elf $(FIXTURE_ELF)
	@mkdir -p $(O)/fuzz/corpus-elf
	@cp $(FIXTURE_ELF) $(O)/fuzz/corpus-elf/
	@echo "== fuzzing the ELF loader for $(FUZZ_SECONDS) s"
	@$(O)/fuzz/fuzz_elf -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-dict=tests/fuzz/elf.dict -artifact_prefix=$(O)/fuzz/elf- -print_final_stats=1 \
		$(O)/fuzz/corpus-elf tests/fuzz/regressions/elf \
	  || { echo "fuzz: found a problem: build/fuzz/elf-crash-* (add it to tests/fuzz/regressions/elf)"; exit 1; }
