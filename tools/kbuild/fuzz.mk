# make fuzz: libFuzzer (Debian's clang 14) on three targets, each for FUZZ_SECONDS:
#   plan      the plan parser and validator (arbitrary bytes as the plan, against QEMU virt)
#   platform  the platform parser (arbitrary bytes as the machine's tree), then the shipped
#             plans checked against what it found
#   elf       the ELF loader (arbitrary bytes as a partition program)
# FUZZ_TARGET=plan|platform|elf|all (default all: one after the other). Corpora start from
# the fixtures and grow in build/fuzz/corpus-TARGET; crashers land in build/fuzz/ and belong
# in tests/fuzz/regressions/TARGET (replayed by make test).
FUZZ_CC ?= clang-14
FUZZ_SECONDS ?= 600
FUZZ_TARGET ?= all
FUZZ_ALL := plan platform elf
FUZZ_KSRCS_plan := $(PLAN_PIPELINE_SRCS)
FUZZ_KSRCS_platform := $(PLAN_PIPELINE_SRCS)
FUZZ_KSRCS_elf := core/elf.c
FUZZ_LIBS_plan := -lfdt
FUZZ_LIBS_platform := -lfdt
FUZZ_LIBS_elf :=
# The platform target first reads what the kernel reads at a stop before the full parse.
FUZZ_KSRCS_platform += dt/early.c
FUZZ_STAMP := $(O)/deps/.fuzz-installed
FUZZ_TARGETS := $(if $(filter all,$(FUZZ_TARGET)),$(FUZZ_ALL),$(FUZZ_TARGET))
ifneq ($(filter-out $(FUZZ_ALL),$(FUZZ_TARGETS)),)
$(error FUZZ_TARGET=$(FUZZ_TARGET): expected plan, platform, elf or all)
endif

# Seeds. plan: the shipped plans and the rule fixtures. platform: the machines' trees
# (QEMU virt dumps: GICv2/v3, 1 to 8 CPUs, EL2; Xen guests; hand-made and bad ones).
# elf: real programs cross-compiled for the tests.
FUZZ_SEEDS_plan = $(PLANS_DTB) $(filter $(O)/fixtures/plans/%,$(FIXTURE_DTB))
FUZZ_SEEDS_platform = $(filter-out $(O)/fixtures/plans/%,$(FIXTURE_DTB))
FUZZ_SEEDS_elf = $(FIXTURE_ELF)

$(FUZZ_STAMP): tools/install-deps.sh
	@tools/install-deps.sh --fuzz
	@mkdir -p $(dir $@) && touch $@

.SECONDEXPANSION:
$(O)/fuzz/fuzz_%: $$(FUZZ_KSRCS_$$*) tests/fuzz/fuzz_%.c tests/fuzz/fuzz_%_one.c $(FUZZ_STAMP) \
		$(wildcard dt/*.h core/*.h core/lib/*.h tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $@"
	@$(FUZZ_CC) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -I. -Itests/fuzz -DBH_HOST \
		-DBH_FIXTURES='"$(O)/fixtures"' -DBH_PLANS='"$(O)/plans"' -o $@ \
		$(FUZZ_KSRCS_$*) tests/fuzz/fuzz_$*.c tests/fuzz/fuzz_$*_one.c $(FUZZ_LIBS_$*)

# One target's run: seed its corpus, fuzz, say where a crasher went.
define fuzz_run
	@mkdir -p $(O)/fuzz/corpus-$(1)
	@cp $(FUZZ_SEEDS_$(1)) $(O)/fuzz/corpus-$(1)/
	@echo "== fuzzing target $(1) for $(FUZZ_SECONDS) s"
	@$(O)/fuzz/fuzz_$(1) -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-dict=tests/fuzz/$(1).dict -artifact_prefix=$(O)/fuzz/$(1)- -print_final_stats=1 \
		$(O)/fuzz/corpus-$(1) tests/fuzz/regressions/$(1) \
	  || { echo "fuzz: target $(1) found a problem: $(O)/fuzz/$(1)-crash-* (add it to tests/fuzz/regressions/$(1))"; exit 1; }

endef

.PHONY: fuzz
fuzz: $(addprefix $(O)/fuzz/fuzz_,$(FUZZ_TARGETS)) $(FIXTURE_DTB) $(PLANS_DTB) $(FIXTURE_ELF)
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_run,$(t)))
