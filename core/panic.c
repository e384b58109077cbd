#include "core/panic.h"
#include "core/log.h"
#include "hal/cpu.h"

static const struct panic_config *config;
static uint32_t panicking;

void panic_configure(const struct panic_config *cfg)
{
	config = cfg;
}

bool panic_in_progress(void)
{
	return __atomic_load_n(&panicking, __ATOMIC_ACQUIRE) != 0;
}

void kernel_stop(void)
{
	cpu_irq_disable();
	log_sync(); /* the lines still in rings first, then this one, at once */
	/* A second CPU panicking at the same time just parks: the first one acts. */
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL))
		cpu_park();
	/* The last line of every fatal stop, whatever caused it: one signature to look for. */
	enum panic_action action = config && config->power ? config->action : PANIC_HALT;

	LOG(LOG_ERROR, "panic", "stop", LOG_STR("action", panic_action_name(action)));
	if (config && config->gic)
		config->gic->sgi_others(SGI_STOP);
	if (action != PANIC_HALT) {
		const struct power *pw = config->power;
		enum hal_err e = config->action == PANIC_RESET ? pw->ops->reset(pw->ctx)
							       : pw->ops->crash(pw->ctx);

		LOG(LOG_ERROR, "panic", "power_failed", LOG_STR("error", hal_strerror(e)));
	}
	cpu_park();
}

void kernel_panic(const char *reason)
{
	log_sync();
	LOG(LOG_ERROR, "panic", "panic", LOG_STR("reason", reason));
	kernel_stop();
}
