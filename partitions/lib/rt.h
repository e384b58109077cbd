/* Internal to the partition runtime (partitions/lib). */
#ifndef BULKHEAD_PARTITIONS_LIB_RT_H
#define BULKHEAD_PARTITIONS_LIB_RT_H

#include <stdio.h>

/* Application error codes the runtime itself raises (bh_raise_error); programs use
 * codes below RT_ERR_FIRST. */
#define RT_ERR_FIRST 0xb0000000u
#define RT_ERR_ABI (RT_ERR_FIRST + 1)  /* info page missing or of another ABI */
#define RT_ERR_EXIT (RT_ERR_FIRST + 2) /* exit(), abort() or a failed stack check */
#define RT_ERR_STUCK (RT_ERR_FIRST + 3) /* the watchdog saw no driver progress */

#endif
