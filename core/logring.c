#include "core/logring.h"

#define LINE_LEN_MAX 0xffffu /* the header's length is 32 bits; lines are far shorter */

void logring_init(struct logring *r, char *buf, uint32_t size)
{
	*r = (struct logring){ .buf = buf, .size = size };
}

static void copy_in(struct logring *r, uint32_t at, const void *src, size_t n)
{
	const char *s = src;

	for (size_t i = 0; i < n; i++)
		r->buf[(at + (uint32_t)i) & (r->size - 1)] = s[i];
}

static void copy_out(const struct logring *r, uint32_t at, void *dst, size_t n)
{
	char *d = dst;

	for (size_t i = 0; i < n; i++)
		d[i] = r->buf[(at + (uint32_t)i) & (r->size - 1)];
}

uint32_t logring_used(const struct logring *r)
{
	return __atomic_load_n(&r->head, __ATOMIC_ACQUIRE) - __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
}

bool logring_fits(const struct logring *r, size_t len)
{
	/* The consumer only ever frees room: what fits now still fits when it is put. */
	return len <= LINE_LEN_MAX && logring_record_bytes(len) <= r->size - logring_used(r);
}

bool logring_put(struct logring *r, uint64_t ts_ns, const char *line, size_t len)
{
	uint32_t head = r->head, n = (uint32_t)len; /* only this side writes head */

	if (!logring_fits(r, len)) {
		/* Atomic: log_sync may take the count from another CPU. */
		__atomic_fetch_add(&r->dropped, 1, __ATOMIC_RELAXED);
		return false;
	}
	copy_in(r, head, &n, sizeof(n));
	copy_in(r, head + sizeof(n), &ts_ns, sizeof(ts_ns));
	copy_in(r, head + LOGRING_HDR, line, len);
	/* The bytes before the count that publishes them. */
	__atomic_store_n(&r->head, head + logring_record_bytes(len), __ATOMIC_RELEASE);
	return true;
}

bool logring_peek(const struct logring *r, uint64_t *ts_ns, uint32_t *len)
{
	uint32_t tail = __atomic_load_n(&r->tail, __ATOMIC_RELAXED);

	if (__atomic_load_n(&r->head, __ATOMIC_ACQUIRE) == tail)
		return false;
	copy_out(r, tail, len, sizeof(*len));
	copy_out(r, tail + sizeof(*len), ts_ns, sizeof(*ts_ns));
	return true;
}

uint32_t logring_discard(struct logring *r)
{
	uint32_t n = 0, len;
	uint64_t ts;

	while (logring_peek(r, &ts, &len)) {
		__atomic_store_n(&r->tail, r->tail + logring_record_bytes(len), __ATOMIC_RELEASE);
		n++;
	}
	__atomic_fetch_add(&r->dropped, n, __ATOMIC_RELAXED);
	return n;
}

bool logring_write_line(struct logring *r, uint32_t *off, bool (*put)(void *ctx, char c),
			bool (*stop)(void *ctx), void *ctx)
{
	uint32_t tail = __atomic_load_n(&r->tail, __ATOMIC_RELAXED), len;
	uint64_t ts;

	if (!logring_peek(r, &ts, &len))
		return false;
	while (*off < len) {
		char c;

		if (stop(ctx))
			return false;
		copy_out(r, tail + LOGRING_HDR + *off, &c, 1);
		(*off)++;
		if (!put(ctx, c))
			break;
	}
	*off = 0;
	/* The bytes read before the room is handed back to the producer. */
	__atomic_store_n(&r->tail, tail + logring_record_bytes(len), __ATOMIC_RELEASE);
	return true;
}
