/*
 * The Xen guest interface: version, domain shutdown and the domain watchdog, through
 * the public headers of Debian's libxen-dev (no hand-copied numbers).
 *
 * The logic here is pure: it talks to Xen through a hypercall function handed to
 * xen_probe(), so host tests run it against a fake hypercall. On aarch64 that
 * function is xen_hypercall_hvc (HVC #0xEA1, op in x16).
 */
#ifndef BULKHEAD_HAL_XEN_H
#define BULKHEAD_HAL_XEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "hal/hal_error.h"
#include "hal/power.h"

/* op, then up to two arguments; returns Xen's value (negative: -XEN_Exxx). */
typedef int64_t (*xen_hypercall_fn)(uint64_t op, uint64_t a0, uint64_t a1);

#define XEN_VERSION_STR_MAX 32

struct xen {
	xen_hypercall_fn call;
	uint32_t version;          /* (major << 16) | minor, as XENVER_version returns it */
	char version_str[XEN_VERSION_STR_MAX]; /* "4.17.7": major.minor + extraversion */
	int last_errno;            /* Xen errno (positive) of the last failed hypercall */
	struct {
		bool armed;
		uint32_t id;        /* Xen's watchdog id, non-zero once armed */
		uint32_t timeout_s;
		/* Why an orderly off or reset could not tear the watchdog down first (it
		 * shuts down anyway): HAL_OK if it could, with Xen's errno if Xen refused. */
		enum hal_err stop_err;
		int stop_errno;
	} wd;
};

/* Fills x from XENVER_version and XENVER_extraversion. Fails if Xen does not answer. */
enum hal_err xen_probe(struct xen *x, xen_hypercall_fn call) __must_check;

/* SCHEDOP_shutdown with a SHUTDOWN_* reason. Returns only on failure. */
enum hal_err xen_shutdown(struct xen *x, unsigned int reason) __must_check;

/*
 * The domain watchdog (SCHEDOP_watchdog): arm once (timeout_s > 0, not armed yet),
 * kick while armed (restarts the countdown), stop to tear it down. Kicking or stopping
 * a watchdog that is not armed is HAL_ERR_XEN_WATCHDOG_STATE.
 */
enum hal_err xen_watchdog_arm(struct xen *x, uint32_t timeout_s) __must_check;
enum hal_err xen_watchdog_kick(struct xen *x) __must_check;
enum hal_err xen_watchdog_stop(struct xen *x) __must_check;

/* "EINVAL" for XEN_EINVAL etc., "unknown" otherwise. */
const char *xen_errno_name(int xen_errno);

/* Power through SCHEDOP_shutdown; ctx is the struct xen. Clean off and reset stop the
 * watchdog first, so only a hung kernel is ever killed by it; if Xen refuses, they shut
 * down anyway and keep the refusal in wd.stop_err / wd.stop_errno. */
extern const struct power_ops power_xen_ops;

/* The real entry (hal/aarch64/xen_hvc.S). */
int64_t xen_hypercall_hvc(uint64_t op, uint64_t a0, uint64_t a1);

#endif
