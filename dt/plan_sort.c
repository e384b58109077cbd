/*
 * Index sorting and lookup for the plan checks: heapsort (no recursion, no scratch
 * memory, n log n) of an array of table indexes under a caller's total order, and a
 * lower bound by name. The checks sort once, then compare neighbours or search.
 */
#include "core/lib/libc.h"
#include "dt/plan_internal.h"

static void sift_down(uint32_t *v, size_t root, size_t n, plan_idx_cmp cmp, const void *ctx)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && cmp(ctx, v[child], v[child + 1]) < 0)
			child++;
		if (cmp(ctx, v[root], v[child]) >= 0)
			return;
		uint32_t t = v[root];

		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

void plan_sort_idx(uint32_t *v, size_t n, plan_idx_cmp cmp, const void *ctx)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n, cmp, ctx);
	for (size_t end = n; end-- > 1;) {
		uint32_t t = v[0];

		v[0] = v[end];
		v[end] = t;
		sift_down(v, 0, end, cmp, ctx);
	}
}

size_t plan_lower_bound(const uint32_t *v, size_t n, plan_idx_key key, const void *ctx,
			const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (BH_LIBC(strcmp)(key(ctx, v[mid]), name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}
