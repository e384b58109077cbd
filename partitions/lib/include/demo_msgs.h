/*
 * The messages of the demo's channels (configs/plans/demo.dtsi): telemetry (sampling,
 * sensors -> logger, actuators) and commands (queuing, logger -> actuators).
 */
#ifndef BULKHEAD_DEMO_MSGS_H
#define BULKHEAD_DEMO_MSGS_H

#include <stdint.h>

struct demo_telemetry {
	uint64_t seq;      /* sample number */
	int64_t milli_c;   /* temperature, milli-degrees Celsius */
};

struct demo_command {
	uint64_t seq;      /* command number, from 0, one more each time */
	int32_t target;    /* the actuator's target position */
	uint32_t gpio;     /* the GPIO pattern the actuators would set */
};

#endif
