/* The syscall fuzzer's generator and checker (fuzz_gen.h). */
#include "fuzz_gen.h"

#define KERNEL_IMAGE_VA 0xffffffc000000000ull
#define KERNEL_LINEAR_VA 0xffffff8000000000ull
#define KERNEL_IO_VA 0xffffffd000000000ull
#define RAM_PA 0x40000000ull

/* splitmix64: small, full period, good enough to spread classes evenly. */
static uint64_t rnd(struct fuzz_gen *g)
{
	uint64_t z = (g->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0 (the modulo bias is irrelevant here). */
static uint64_t below(struct fuzz_gen *g, uint64_t n)
{
	return rnd(g) % n;
}

void fuzz_gen_init(struct fuzz_gen *g, uint64_t seed)
{
	g->state = seed ^ 0x6a09e667f3bcc908ull;
}

uint32_t fuzz_handle_make(uint32_t slot, uint32_t owner, uint32_t generation)
{
	uint32_t h = (slot & 0xfffu) | ((owner & 0x3ffu) << 12) | ((generation & 0x3fu) << 22);
	uint32_t c = 0x9;

	for (int i = 0; i < 7; i++)
		c ^= (h >> (4 * i)) & 0xfu;
	return h | (c << 28);
}

/* A pointer of class k, for a range of `len` bytes where that matters (OWN). */
static uint64_t gen_ptr(struct fuzz_gen *g, const struct fuzz_env *e, unsigned int k, uint64_t len)
{
	switch (k) {
	case FUZZ_PTR_NULL:
		return below(g, 2) ? 0 : below(g, BH_IMAGE_VA);
	case FUZZ_PTR_WILD:
		switch (below(g, 4)) {
		case 0: return BH_DEVICE_VA + below(g, BH_EL0_VA_END - BH_DEVICE_VA);
		case 1: return BH_EL0_VA_END + below(g, 1ull << 40);      /* above 39 bits */
		case 2: return 0x0001000000000000ull | rnd(g);             /* non-canonical */
		default: return rnd(g);
		}
	case FUZZ_PTR_KERNEL:
		return KERNEL_IMAGE_VA + below(g, 16ull << 20);
	case FUZZ_PTR_LINEAR:
		return KERNEL_LINEAR_VA + RAM_PA + below(g, 1ull << 30);
	case FUZZ_PTR_IO:
		return KERNEL_IO_VA + below(g, 64ull << 20);
	case FUZZ_PTR_GUARD:
		return e->stack_base - BH_PAGE_BYTES + below(g, BH_PAGE_BYTES);
	case FUZZ_PTR_OTHER:
		return ((e->heap_end + 0xfffull) & ~0xfffull) + below(g, 1ull << 20);
	case FUZZ_PTR_OTHER_PA:
		return RAM_PA + below(g, 1ull << 30);
	case FUZZ_PTR_RODATA:
		return e->rodata + below(g, 16);
	case FUZZ_PTR_INFO:
		return BH_INFO_VA + below(g, 64);
	case FUZZ_PTR_EDGE:
		return e->buf + e->buf_bytes - 1 - below(g, 8);
	default: /* FUZZ_PTR_OWN: the whole range inside the buffer */
		if (len > e->buf_bytes)
			len = e->buf_bytes;
		return e->buf + below(g, e->buf_bytes - len + 1);
	}
}

static uint64_t gen_size(struct fuzz_gen *g, unsigned int k)
{
	switch (k) {
	case FUZZ_SIZE_ZERO: return 0;
	case FUZZ_SIZE_SMALL: return 1 + below(g, 64);
	case FUZZ_SIZE_MAX: return BH_PRINT_MAX;
	case FUZZ_SIZE_OVER: return BH_PRINT_MAX + 1;
	default:
		switch (below(g, 3)) {
		case 0: return (1ull << 32) + below(g, 1ull << 32);
		case 1: return (1ull << 63) + below(g, 1ull << 32);
		default: return UINT64_MAX;
		}
	}
}

static uint64_t gen_handle(struct fuzz_gen *g, const struct fuzz_env *e, unsigned int k)
{
	switch (k) {
	case FUZZ_HANDLE_ZERO: return BH_CAP_INVALID;
	case FUZZ_HANDLE_RANDOM: return below(g, 4) ? (uint32_t)rnd(g) : rnd(g);
	case FUZZ_HANDLE_FORGED: {
		/* Another partition's first slots, or our own beyond anything granted. */
		uint32_t owner = below(g, 2) ? (uint32_t)below(g, 8) : e->partition_index;

		return fuzz_handle_make((uint32_t)below(g, 64), owner, 1 + (uint32_t)below(g, 2));
	}
	default: return 1 + below(g, 16);
	}
}

/* The defined calls, weighted: blocking ones rarely, cell_stop never. */
static uint64_t gen_defined(struct fuzz_gen *g)
{
	for (;;) {
		uint64_t nr = below(g, BH_SYS_COUNT);

		if (nr == BH_SYS_CELL_STOP)
			continue;
		if ((nr == BH_SYS_PERIODIC_WAIT || nr == BH_SYS_TIMED_WAIT || nr == BH_SYS_YIELD) &&
		    below(g, 16))
			continue;
		return nr;
	}
}

static unsigned int gen_ptr_class(struct fuzz_gen *g)
{
	/* Own buffers half of the time, so valid calls are exercised as much as bad ones. */
	return below(g, 2) ? FUZZ_PTR_OWN : (unsigned int)below(g, FUZZ_PTR_CLASSES);
}

/* Classes whose bytes the caller may be able to read (so a print from them may succeed). */
static bool ptr_readable(unsigned int k)
{
	return k == FUZZ_PTR_OWN || k == FUZZ_PTR_EDGE || k == FUZZ_PTR_RODATA || k == FUZZ_PTR_INFO;
}

/* print and raise_error: level or code, ptr, len. Made harmless when they could succeed
 * (fuzz_gen.h): a print at debug level, a raise_error too long to be accepted. */
static void gen_text_call(struct fuzz_gen *g, const struct fuzz_env *e, struct fuzz_call *c)
{
	unsigned int pk = gen_ptr_class(g), sk = (unsigned int)below(g, FUZZ_SIZE_CLASSES);
	uint64_t len = gen_size(g, sk);

	c->a[0] = c->nr == BH_SYS_PRINT ? (below(g, 4) ? below(g, BH_LEVELS) : rnd(g)) : rnd(g);
	c->a[1] = gen_ptr(g, e, pk, len);
	c->a[2] = len;
	c->ptr_class = (uint8_t)pk;
	c->size_class = (uint8_t)sk;
	if (len > BH_PRINT_MAX || (len > 0 && !ptr_readable(pk)))
		return; /* refused whatever the level or code */
	if (c->nr == BH_SYS_PRINT && c->a[0] < BH_LEVEL_DEBUG)
		c->a[0] = BH_LEVEL_DEBUG;
	if (c->nr == BH_SYS_RAISE_ERROR) {
		c->a[2] = BH_PRINT_MAX + 1;
		c->size_class = FUZZ_SIZE_OVER;
	}
}

static void gen_args(struct fuzz_gen *g, const struct fuzz_env *e, struct fuzz_call *c)
{
	unsigned int k;

	switch (c->nr_class == FUZZ_NR_DEFINED ? c->nr : UINT64_MAX) {
	case BH_SYS_PRINT:
	case BH_SYS_RAISE_ERROR:
		gen_text_call(g, e, c);
		return;
	case BH_SYS_PARTITION_STATUS:
		k = gen_ptr_class(g);
		c->a[0] = gen_ptr(g, e, k, sizeof(struct bh_partition_status));
		c->ptr_class = (uint8_t)k;
		return;
	case BH_SYS_TIMED_WAIT:
		switch (below(g, 3)) {
		case 0: c->a[0] = (uint64_t)-(int64_t)(1 + below(g, 1000)); break; /* negative */
		case 1: c->a[0] = below(g, e->now_ns + 1); break;                   /* past */
		default: c->a[0] = e->now_ns + below(g, FUZZ_MAX_WAIT_NS + 1); break;
		}
		return;
	case UINT64_MAX:
		break;
	default: /* no arguments: give it garbage it must ignore */
		for (int i = 0; i < 6; i++)
			c->a[i] = rnd(g);
		return;
	}
	/* Device and port calls take (handle, pointer or timeout, pointer); unknown numbers
	 * get the same shapes, so they cannot tell the difference. */
	k = (unsigned int)below(g, FUZZ_HANDLE_CLASSES);
	c->a[0] = gen_handle(g, e, k);
	c->handle_class = (uint8_t)k;
	k = gen_ptr_class(g);
	c->a[1] = gen_ptr(g, e, k, 64);
	c->ptr_class = (uint8_t)k;
	k = (unsigned int)below(g, FUZZ_SIZE_CLASSES);
	c->a[2] = below(g, 2) ? gen_size(g, k) : gen_ptr(g, e, gen_ptr_class(g), 64);
	c->size_class = (uint8_t)k;
	for (int i = 3; i < 6; i++)
		c->a[i] = rnd(g);
}

void fuzz_gen_next(struct fuzz_gen *g, const struct fuzz_env *e, struct fuzz_call *c)
{
	*c = (struct fuzz_call){ .ptr_class = FUZZ_PTR_CLASSES, .size_class = FUZZ_SIZE_CLASSES,
				 .handle_class = FUZZ_HANDLE_CLASSES };
	/* Half of the calls are defined ones (their argument checks are the kernel's real
	 * surface); the other half spread over the four unknown classes. */
	c->nr_class = below(g, 2) ? FUZZ_NR_DEFINED : (uint8_t)(1 + below(g, FUZZ_NR_CLASSES - 1));
	switch (c->nr_class) {
	case FUZZ_NR_DEFINED:
		c->nr = gen_defined(g);
		break;
	case FUZZ_NR_DEVICE:
		c->nr = BH_SYS_DEVICE_FIRST + below(g, BH_SYS_DEVICE_LAST - BH_SYS_DEVICE_FIRST + 1);
		break;
	case FUZZ_NR_PORT:
		c->nr = BH_SYS_PORT_FIRST + below(g, BH_SYS_PORT_LAST - BH_SYS_PORT_FIRST + 1);
		break;
	case FUZZ_NR_GAP:
		c->nr = BH_SYS_COUNT + below(g, BH_SYS_DEVICE_FIRST - BH_SYS_COUNT);
		break;
	default:
		c->nr = below(g, 2) ? BH_SYS_MAX + 1 + below(g, 0x10000) : BH_SYS_MAX + 1 + below(g, UINT64_MAX - BH_SYS_MAX);
		break;
	}
	gen_args(g, e, c);
}

unsigned int fuzz_result_slot(int64_t r)
{
	if (r >= 0)
		return 0;
	if (r < -(int64_t)(BH_E_COUNT - 1))
		return BH_E_COUNT;
	return (unsigned int)-r;
}

bool fuzz_result_ok(const struct fuzz_call *c, int64_t r)
{
	if (fuzz_result_slot(r) == BH_E_COUNT)
		return false;
	if (c->nr_class == FUZZ_NR_GAP || c->nr_class == FUZZ_NR_HIGH)
		return r == -BH_E_NOSYS;
	if (c->nr_class == FUZZ_NR_DEFINED && c->nr == BH_SYS_NOP)
		return r == 0;
	return true;
}
