/* The Xen guest layer (hal/xen) against a fake hypercall. */
#include <criterion/criterion.h>
#include <stdint.h>
#define __XEN_INTERFACE_VERSION__ __XEN_LATEST_INTERFACE_VERSION__
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/errno.h>
#include "fake_xen.h"
#include "hal/xen.h"

static struct xen x;

static void setup(void)
{
	fake_xen_reset();
}

TestSuite(xen, .init = setup);

static const struct fake_xen_call *call(unsigned int i)
{
	cr_assert_lt(i, fake_xen_state()->n_calls, "call %u was not made", i);
	return &fake_xen_state()->calls[i];
}

Test(xen, probe_reads_version_and_extraversion)
{
	cr_assert_eq(xen_probe(&x, fake_xen_hypercall), HAL_OK);
	cr_assert_eq(x.version, (4u << 16) | 17);
	cr_assert_str_eq(x.version_str, "4.17.7");
	cr_assert_eq(call(0)->op, __HYPERVISOR_xen_version);
	cr_assert_eq(call(0)->cmd, XENVER_version);
	cr_assert_eq(call(1)->cmd, XENVER_extraversion);
	cr_assert_not(x.wd.armed);
}

Test(xen, probe_never_trusts_xen_to_terminate_the_string)
{
	fake_xen_state()->extraversion = NULL; /* 16 bytes of 'X', no NUL */
	cr_assert_eq(xen_probe(&x, fake_xen_hypercall), HAL_OK);
	cr_assert_str_eq(x.version_str, "4.17XXXXXXXXXXXXXXX", "15 bytes kept, then our NUL");
}

Test(xen, probe_failure_keeps_the_xen_errno)
{
	fake_xen_state()->fail_errno = XEN_ENOSYS;
	cr_assert_eq(xen_probe(&x, fake_xen_hypercall), HAL_ERR_XEN_HYPERCALL);
	cr_assert_eq(x.last_errno, XEN_ENOSYS);
	cr_assert_str_eq(xen_errno_name(x.last_errno), "ENOSYS");
}

Test(xen, shutdown_passes_the_reason_and_a_return_is_an_error)
{
	cr_assert_eq(xen_probe(&x, fake_xen_hypercall), HAL_OK);
	cr_assert_eq(xen_shutdown(&x, SHUTDOWN_crash), HAL_ERR_XEN_RETURNED);
	cr_assert_eq(call(2)->op, __HYPERVISOR_sched_op);
	cr_assert_eq(call(2)->cmd, SCHEDOP_shutdown);
	cr_assert_eq(call(2)->arg[0], SHUTDOWN_crash);
}

Test(xen, watchdog_arm_kick_stop)
{
	cr_assert_eq(xen_probe(&x, fake_xen_hypercall), HAL_OK);
	fake_xen_state()->next_wd_id = 7;
	cr_assert_eq(xen_watchdog_arm(&x, 5), HAL_OK);
	cr_assert(x.wd.armed);
	cr_assert_eq(x.wd.id, 7);
	cr_assert_eq(call(2)->cmd, SCHEDOP_watchdog);
	cr_assert_eq(call(2)->arg[0], 0, "id 0 creates a watchdog");
	cr_assert_eq(call(2)->arg[1], 5);

	cr_assert_eq(xen_watchdog_kick(&x), HAL_OK);
	cr_assert_eq(call(3)->arg[0], 7, "a kick names the watchdog");
	cr_assert_eq(call(3)->arg[1], 5, "and restarts the same timeout");

	cr_assert_eq(xen_watchdog_stop(&x), HAL_OK);
	cr_assert_eq(call(4)->arg[0], 7);
	cr_assert_eq(call(4)->arg[1], 0, "timeout 0 destroys it");
	cr_assert_not(x.wd.armed);
}

Test(xen, watchdog_misuse_is_refused_without_a_hypercall)
{
	cr_assert_eq(xen_probe(&x, fake_xen_hypercall), HAL_OK);
	cr_assert_eq(xen_watchdog_kick(&x), HAL_ERR_XEN_WATCHDOG_STATE);
	cr_assert_eq(xen_watchdog_stop(&x), HAL_ERR_XEN_WATCHDOG_STATE);
	cr_assert_eq(xen_watchdog_arm(&x, 0), HAL_ERR_XEN_WATCHDOG_STATE, "timeout 0 is no watchdog");
	cr_assert_eq(xen_watchdog_arm(&x, 2), HAL_OK);
	cr_assert_eq(xen_watchdog_arm(&x, 2), HAL_ERR_XEN_WATCHDOG_STATE, "armed twice");
	cr_assert_eq(fake_xen_state()->n_calls, 3, "only the probe and one arm reached Xen");
}

Test(xen, watchdog_id_outside_the_contract_is_refused)
{
	cr_assert_eq(xen_probe(&x, fake_xen_hypercall), HAL_OK);
	fake_xen_state()->next_wd_id = 0;
	cr_assert_eq(xen_watchdog_arm(&x, 2), HAL_ERR_XEN_BAD_ANSWER);
	cr_assert_not(x.wd.armed);
}

Test(xen, failed_stop_leaves_the_watchdog_armed)
{
	cr_assert_eq(xen_probe(&x, fake_xen_hypercall), HAL_OK);
	cr_assert_eq(xen_watchdog_arm(&x, 2), HAL_OK);
	fake_xen_state()->fail_at = 3;
	fake_xen_state()->fail_errno = XEN_EINVAL;
	cr_assert_eq(xen_watchdog_stop(&x), HAL_ERR_XEN_HYPERCALL);
	cr_assert(x.wd.armed);
	cr_assert_str_eq(xen_errno_name(x.last_errno), "EINVAL");
}

Test(xen, power_off_tears_the_watchdog_down_first)
{
	cr_assert_eq(xen_probe(&x, fake_xen_hypercall), HAL_OK);
	cr_assert_eq(xen_watchdog_arm(&x, 2), HAL_OK);
	cr_assert_eq(power_xen_ops.off(&x), HAL_ERR_XEN_RETURNED);
	cr_assert_eq(call(3)->cmd, SCHEDOP_watchdog);
	cr_assert_eq(call(3)->arg[1], 0, "watchdog destroyed");
	cr_assert_eq(call(4)->cmd, SCHEDOP_shutdown);
	cr_assert_eq(call(4)->arg[0], SHUTDOWN_poweroff);
}

Test(xen, reset_reboots_and_crash_keeps_the_watchdog)
{
	cr_assert_eq(xen_probe(&x, fake_xen_hypercall), HAL_OK);
	cr_assert_eq(power_xen_ops.reset(&x), HAL_ERR_XEN_RETURNED);
	cr_assert_eq(call(2)->arg[0], SHUTDOWN_reboot, "no watchdog: straight to shutdown");
	cr_assert_eq(xen_watchdog_arm(&x, 2), HAL_OK);
	cr_assert_eq(power_xen_ops.crash(&x), HAL_ERR_XEN_RETURNED);
	cr_assert_eq(call(4)->cmd, SCHEDOP_shutdown, "a crash does not touch the watchdog");
	cr_assert_eq(call(4)->arg[0], SHUTDOWN_crash);
}

Test(xen, power_off_still_shuts_down_when_the_watchdog_will_not_go)
{
	cr_assert_eq(xen_probe(&x, fake_xen_hypercall), HAL_OK);
	cr_assert_eq(xen_watchdog_arm(&x, 2), HAL_OK);
	fake_xen_state()->fail_at = 3;
	fake_xen_state()->fail_errno = XEN_EINVAL;
	cr_assert_eq(power_xen_ops.off(&x), HAL_ERR_XEN_RETURNED);
	cr_assert_eq(call(4)->cmd, SCHEDOP_shutdown);
	cr_assert_eq(x.wd.stop_err, HAL_ERR_XEN_HYPERCALL, "the refusal is kept, not swallowed");
	cr_assert_str_eq(xen_errno_name(x.wd.stop_errno), "EINVAL");
}

Test(xen, a_clean_teardown_records_no_error)
{
	cr_assert_eq(xen_probe(&x, fake_xen_hypercall), HAL_OK);
	cr_assert_eq(xen_watchdog_arm(&x, 2), HAL_OK);
	x.wd.stop_err = HAL_ERR_XEN_HYPERCALL; /* stale: a fresh teardown overwrites it */
	cr_assert_eq(power_xen_ops.reset(&x), HAL_ERR_XEN_RETURNED);
	cr_assert_eq(x.wd.stop_err, HAL_OK);
	cr_assert_eq(x.wd.stop_errno, 0);
}

Test(xen, errno_names_come_from_xen_headers)
{
	cr_assert_str_eq(xen_errno_name(XEN_EPERM), "EPERM");
	cr_assert_str_eq(xen_errno_name(XEN_EFAULT), "EFAULT");
	cr_assert_str_eq(xen_errno_name(0), "unknown");
	cr_assert_str_eq(xen_errno_name(-1), "unknown");
	cr_assert_str_eq(xen_errno_name(100000), "unknown");
}
