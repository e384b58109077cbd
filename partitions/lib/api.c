/* The C API (bulkhead.h) over the calls of include/bulkhead/abi.h. */
#include "args.h"
#include "bulkhead.h"
#include "syscall.h"

int64_t bh_time_ns(void)
{
	return bh_svc_time();
}

int64_t bh_periodic_wait(void)
{
	return bh_svc0(BH_SYS_PERIODIC_WAIT);
}

int bh_timed_wait(int64_t until_ns)
{
	return (int)bh_svc1(BH_SYS_TIMED_WAIT, until_ns);
}

int bh_sleep_ns(int64_t ns)
{
	int64_t now = bh_time_ns();

	if (now < 0)
		return (int)now;
	return bh_timed_wait(ns > INT64_MAX - now ? INT64_MAX : now + ns);
}

int bh_nop(void)
{
	return (int)bh_svc0(BH_SYS_NOP);
}

int bh_yield(void)
{
	return (int)bh_svc0(BH_SYS_YIELD);
}

int bh_raise_error(uint32_t code, const char *msg, size_t len)
{
	return (int)bh_svc3(BH_SYS_RAISE_ERROR, code, msg, len < BH_PRINT_MAX ? len : BH_PRINT_MAX);
}

int bh_heartbeat(void)
{
	return (int)bh_svc0(BH_SYS_HEARTBEAT);
}

int bh_partition_status(struct bh_partition_status *out)
{
	return (int)bh_svc1(BH_SYS_PARTITION_STATUS, out);
}

const struct bh_info *bh_info(void)
{
	return (const struct bh_info *)(uintptr_t)BH_INFO_VA;
}

void *bh_persistent(size_t *bytes)
{
	const struct bh_info *i = bh_info();

	if (bytes)
		*bytes = i->persistent_bytes;
	return i->persistent_bytes ? (void *)(uintptr_t)i->persistent_base : NULL;
}

const struct bh_cell_desc *bh_cell_info(unsigned int cell)
{
	const struct bh_info *i = bh_info();

	return cell < i->n_cells && cell < BH_INFO_MAX_CELLS ? &i->cell[cell] : NULL;
}

__attribute__((noreturn)) void bh_cell_stop(void)
{
	(void)bh_svc0(BH_SYS_CELL_STOP);
	/* A kernel without cell_stop returns: the cell then waits forever, doing nothing. */
	for (;;) {
		if (bh_periodic_wait() < 0)
			(void)bh_timed_wait(INT64_MAX);
	}
}

/* The info page's args, bounded by its own sizes (args.h never reads past them). */
static size_t args_bytes(void)
{
	uint32_t b = bh_info()->args_bytes;

	return b < BH_ARGS_BYTES ? b : BH_ARGS_BYTES;
}

unsigned int bh_args_count(void)
{
	return bh_info()->n_args;
}

const char *bh_args_at(unsigned int i)
{
	return args_at(bh_info()->args, args_bytes(), bh_info()->n_args, i);
}

const char *bh_arg(const char *key)
{
	return args_find(bh_info()->args, args_bytes(), bh_info()->n_args, key);
}

uint64_t bh_arg_u64(const char *key, uint64_t dflt)
{
	uint64_t v;

	return args_parse_u64(bh_arg(key), &v) ? v : dflt;
}

static const char *const err_names[BH_E_COUNT] = {
	[BH_OK] = "ok",
#define BH_X_ERR(name, num, str, what) [BH_E_##name] = str,
	BH_ERRORS(BH_X_ERR)
#undef BH_X_ERR
};

const char *bh_strerror(int64_t err)
{
	int64_t e = err < 0 ? -err : err;

	return e >= 0 && e < BH_E_COUNT && err_names[e] ? err_names[e] : "unknown-error";
}

int bh_device_info(bh_cap_t dev, struct bh_device_info *out)
{
	return (int)bh_svc2(BH_SYS_DEVICE_INFO, dev, out);
}

int bh_irq_wait(bh_cap_t dev, uint64_t timeout_ns)
{
	return (int)bh_svc2(BH_SYS_IRQ_WAIT, dev, timeout_ns);
}

int bh_irq_ack(bh_cap_t dev)
{
	return (int)bh_svc1(BH_SYS_IRQ_ACK, dev);
}

/* "pl031@9010000" is named "pl031" (and by its whole name). */
static bool name_is(const char *node, const char *name)
{
	size_t i = 0;

	for (; name[i] && node[i] == name[i]; i++)
		;
	return !name[i] && (node[i] == '\0' || node[i] == '@');
}

bh_cap_t bh_device_find(const char *name, struct bh_device_info *info)
{
	const struct bh_info *bi = bh_info();
	struct bh_device_info tmp;

	for (uint32_t i = 0; i < bi->n_caps && i < BH_INFO_MAX_CAPS; i++) {
		const struct bh_cap_desc *c = &bi->cap[i];

		if (c->kind != BH_CAP_KIND_DEVICE || !name_is(c->name, name))
			continue;
		if (bh_device_info(c->handle, info ? info : &tmp) < 0)
			return BH_CAP_INVALID;
		return c->handle;
	}
	return BH_CAP_INVALID;
}
