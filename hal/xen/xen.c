/*
 * Xen guest interface logic over a hypercall function (see hal/xen.h). Pure C with no
 * register or device access: the hypercall itself is hal/aarch64/xen_hvc.S, or a fake
 * on the host.
 */
#include <stdint.h> /* Xen's public headers expect the includer to provide it */
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/version.h>
#include "core/lib/libc.h"
#include "core/lib/strbuf.h"
#include "hal/xen.h"

static const char *const errno_names[] = {
#define XEN_ERRNO(name, value) [value] = #name,
#include <xen/errno.h>
};

const char *xen_errno_name(int e)
{
	if (e <= 0 || (size_t)e >= ARRAY_SIZE(errno_names) || !errno_names[e])
		return "unknown";
	return errno_names[e];
}

/* A negative return is -errno; anything else is Xen's answer. */
static __must_check enum hal_err call(struct xen *x, uint64_t op, uint64_t a0, void *arg,
				      int64_t *ret)
{
	int64_t r = x->call(op, a0, (uint64_t)(uintptr_t)arg);

	if (ret)
		*ret = r;
	if (r < 0) {
		x->last_errno = (int)-r;
		return HAL_ERR_XEN_HYPERCALL;
	}
	return HAL_OK;
}

enum hal_err xen_probe(struct xen *x, xen_hypercall_fn fn)
{
	xen_extraversion_t extra;
	int64_t v;
	enum hal_err e;
	struct strbuf sb;

	BH_LIBC(memset)(x, 0, sizeof(*x));
	x->call = fn;
	e = call(x, __HYPERVISOR_xen_version, XENVER_version, NULL, &v);
	if (e != HAL_OK)
		return e;
	x->version = (uint32_t)v;
	BH_LIBC(memset)(extra, 0, sizeof(extra));
	e = call(x, __HYPERVISOR_xen_version, XENVER_extraversion, extra, NULL);
	if (e != HAL_OK)
		return e;
	extra[sizeof(extra) - 1] = '\0'; /* Xen's string, our buffer: never trust the NUL */
	sb_init(&sb, x->version_str, sizeof(x->version_str));
	sb_u64(&sb, x->version >> 16);
	sb_putc(&sb, '.');
	sb_u64(&sb, x->version & 0xffff);
	sb_puts(&sb, extra);
	return HAL_OK;
}

enum hal_err xen_shutdown(struct xen *x, unsigned int reason)
{
	struct sched_shutdown arg = { .reason = reason };
	enum hal_err e = call(x, __HYPERVISOR_sched_op, SCHEDOP_shutdown, &arg, NULL);

	return e == HAL_OK ? HAL_ERR_XEN_RETURNED : e;
}

static __must_check enum hal_err watchdog(struct xen *x, uint32_t id, uint32_t timeout_s,
					  int64_t *ret)
{
	struct sched_watchdog arg = { .id = id, .timeout = timeout_s };

	return call(x, __HYPERVISOR_sched_op, SCHEDOP_watchdog, &arg, ret);
}

enum hal_err xen_watchdog_arm(struct xen *x, uint32_t timeout_s)
{
	int64_t id;
	enum hal_err e;

	if (x->wd.armed || timeout_s == 0)
		return HAL_ERR_XEN_WATCHDOG_STATE;
	e = watchdog(x, 0, timeout_s, &id);
	if (e != HAL_OK)
		return e;
	if (id <= 0 || id > UINT32_MAX)
		return HAL_ERR_XEN_BAD_ANSWER;
	x->wd.armed = true;
	x->wd.id = (uint32_t)id;
	x->wd.timeout_s = timeout_s;
	return HAL_OK;
}

enum hal_err xen_watchdog_kick(struct xen *x)
{
	if (!x->wd.armed)
		return HAL_ERR_XEN_WATCHDOG_STATE;
	return watchdog(x, x->wd.id, x->wd.timeout_s, NULL);
}

enum hal_err xen_watchdog_stop(struct xen *x)
{
	enum hal_err e;

	if (!x->wd.armed)
		return HAL_ERR_XEN_WATCHDOG_STATE;
	e = watchdog(x, x->wd.id, 0, NULL);
	if (e == HAL_OK)
		x->wd.armed = false;
	return e;
}

/*
 * Off and reset are orderly: the watchdog goes first. If Xen will not tear it down we
 * still shut down (the shutdown matters more); the watchdog then fires on a domain that
 * is already down, which Xen reports and the runner shows.
 */
static enum hal_err orderly_shutdown(struct xen *x, unsigned int reason)
{
	x->wd.stop_err = x->wd.armed ? xen_watchdog_stop(x) : HAL_OK;
	x->wd.stop_errno = x->wd.stop_err == HAL_ERR_XEN_HYPERCALL ? x->last_errno : 0;
	return xen_shutdown(x, reason);
}

static enum hal_err power_off(void *ctx)
{
	return orderly_shutdown(ctx, SHUTDOWN_poweroff);
}

static enum hal_err power_reset(void *ctx)
{
	return orderly_shutdown(ctx, SHUTDOWN_reboot);
}

static enum hal_err power_crash(void *ctx)
{
	return xen_shutdown(ctx, SHUTDOWN_crash);
}

const struct power_ops power_xen_ops = {
	.name = "xen",
	.off = power_off,
	.reset = power_reset,
	.crash = power_crash,
};
