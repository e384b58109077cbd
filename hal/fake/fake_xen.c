#include <stdint.h>
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/errno.h>
#include <string.h>
#include "fake_xen.h"

static struct fake_xen fx;

void fake_xen_reset(void)
{
	memset(&fx, 0, sizeof(fx));
	fx.version = (4 << 16) | 17;
	fx.extraversion = ".7";
	fx.next_wd_id = 1;
}

struct fake_xen *fake_xen_state(void)
{
	return &fx;
}

static int64_t answer(uint64_t op, uint64_t cmd, void *arg, struct fake_xen_call *c)
{
	if (op == __HYPERVISOR_xen_version && cmd == XENVER_version)
		return fx.version;
	if (op == __HYPERVISOR_xen_version && cmd == XENVER_extraversion) {
		/* Xen fills all 16 bytes; a hostile one might leave no NUL. */
		memset(arg, 'X', sizeof(xen_extraversion_t));
		if (fx.extraversion)
			memcpy(arg, fx.extraversion, strlen(fx.extraversion) + 1);
		return 0;
	}
	if (op == __HYPERVISOR_sched_op && cmd == SCHEDOP_shutdown) {
		c->arg[0] = ((struct sched_shutdown *)arg)->reason;
		return 0; /* a real Xen does not return; the caller must say so */
	}
	if (op == __HYPERVISOR_sched_op && cmd == SCHEDOP_watchdog) {
		struct sched_watchdog *w = arg;

		c->arg[0] = w->id;
		c->arg[1] = w->timeout;
		return w->id == 0 ? fx.next_wd_id++ : 0;
	}
	return -XEN_ENOSYS;
}

int64_t fake_xen_hypercall(uint64_t op, uint64_t a0, uint64_t a1)
{
	struct fake_xen_call c = { .op = op, .cmd = a0 };
	unsigned int idx = fx.n_calls;

	c.ret = answer(op, a0, (void *)(uintptr_t)a1, &c);
	if (fx.fail_errno && idx == fx.fail_at)
		c.ret = -fx.fail_errno;
	if (fx.n_calls < FAKE_XEN_MAX_CALLS)
		fx.calls[fx.n_calls++] = c;
	return c.ret;
}
