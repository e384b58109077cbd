/* Freestanding <stdlib.h> for the kernel: strtoul only (libfdt needs it). */
#ifndef BULKHEAD_STDLIB_H
#define BULKHEAD_STDLIB_H
#include "core/lib/libc.h"
#endif
