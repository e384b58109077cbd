/* faulty's modes (faulty_mode.h). */
#include "faulty_mode.h"

static const char *const names[FAULTY_MODES] = {
	[FAULTY_NONE] = "none",
	[FAULTY_MEMORY] = "memory",
	[FAULTY_ILLEGAL] = "illegal",
	[FAULTY_HANG] = "hang",
	[FAULTY_STALL] = "stall",
	[FAULTY_OVERRUN] = "overrun",
	[FAULTY_NO_HEARTBEAT] = "no-heartbeat",
	[FAULTY_APP_ERROR] = "app-error",
	[FAULTY_RESTART_LOOP] = "restart-loop",
	[FAULTY_CORRUPT] = "corrupt",
	[FAULTY_RANDOM] = "random",
	[FAULTY_NULL] = "null",
	[FAULTY_KERNEL_READ] = "kernel-read",
	[FAULTY_RODATA_WRITE] = "rodata-write",
	[FAULTY_EXEC_STACK] = "exec-stack",
	[FAULTY_UDF] = "udf",
	[FAULTY_SP_ALIGN] = "sp-align",
	[FAULTY_PC_ALIGN] = "pc-align",
	[FAULTY_BAD_POINTER] = "bad-pointer",
};

/* What fault=random draws from: one detection class each. */
static const enum faulty_mode random_modes[] = {
	FAULTY_MEMORY, FAULTY_ILLEGAL, FAULTY_HANG, FAULTY_STALL, FAULTY_OVERRUN,
	FAULTY_NO_HEARTBEAT, FAULTY_APP_ERROR, FAULTY_CORRUPT,
};

static int same(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

enum faulty_mode faulty_mode_parse(const char *s)
{
	if (!s)
		return FAULTY_NONE;
	for (unsigned int m = 0; m < FAULTY_MODES; m++) {
		if (same(s, names[m]))
			return (enum faulty_mode)m;
	}
	return FAULTY_MODES;
}

const char *faulty_mode_name(enum faulty_mode m)
{
	return (unsigned int)m < FAULTY_MODES ? names[m] : "unknown";
}

static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct faulty_pick faulty_random_pick(uint64_t seed, uint32_t restarts, uint32_t max_after)
{
	uint64_t r = mix(seed * 0x9e3779b97f4a7c15ull + restarts + 1);
	uint64_t n = sizeof(random_modes) / sizeof(random_modes[0]);

	return (struct faulty_pick){
		.mode = random_modes[r % n],
		.after = (uint32_t)((r >> 32) % ((uint64_t)max_after + 1)),
	};
}
