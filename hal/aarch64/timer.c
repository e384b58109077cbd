#include "hal/timer.h"
#include "hal/aarch64/sysreg.h"

#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK 2u

static uint64_t freq;

enum hal_err timer_init(uint32_t freq_override)
{
	uint64_t hz = freq_override ? freq_override : (read_sysreg(cntfrq_el0) & 0xffffffff);
	enum hal_err e = timer_freq_check(hz);

	freq = e == HAL_OK ? hz : 0;
	return e;
}

uint64_t timer_now(void)
{
	isb(); /* the counter read must not be hoisted above earlier instructions */
	return read_sysreg(cntvct_el0);
}

uint64_t timer_freq(void)
{
	return freq;
}

void timer_arm(uint64_t deadline)
{
	write_sysreg(cntv_cval_el0, deadline);
	write_sysreg(cntv_ctl_el0, CNTV_CTL_ENABLE);
	isb();
}

void timer_disarm(void)
{
	write_sysreg(cntv_ctl_el0, CNTV_CTL_IMASK);
	isb();
}

uint64_t timer_deadline(void)
{
	return (read_sysreg(cntv_ctl_el0) & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) == CNTV_CTL_ENABLE
		       ? read_sysreg(cntv_cval_el0)
		       : UINT64_MAX;
}
