/* Compiler attributes used across Bulkhead, spelled once. */
#ifndef BULKHEAD_CORE_LIB_COMPILER_H
#define BULKHEAD_CORE_LIB_COMPILER_H

/* Every fallible function's result must be looked at (rule 3: errors are values). */
#define __must_check __attribute__((warn_unused_result))
#define __noreturn __attribute__((noreturn))
#define __aligned(n) __attribute__((aligned(n)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1ULL << (n))
#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)

/* Compile-time checks of layouts and tables. */
#define STATIC_ASSERT(c, msg) _Static_assert(c, msg)

/* Kconfig booleans as 0/1 expressions (so code is compiled, then discarded). */
#ifdef CONFIG_TEST_HOOKS
#define IS_ENABLED_TEST_HOOKS 1
#else
#define IS_ENABLED_TEST_HOOKS 0
#endif
#ifdef CONFIG_PANIC_HALT
#define IS_ENABLED_PANIC_HALT 1
#else
#define IS_ENABLED_PANIC_HALT 0
#endif

#ifdef CONFIG_XEN_GUEST
#define IS_ENABLED_XEN_GUEST 1
#else
#define IS_ENABLED_XEN_GUEST 0
#endif

#ifdef CONFIG_BENCH
#define IS_ENABLED_BENCH 1
#else
#define IS_ENABLED_BENCH 0
#endif

#endif
