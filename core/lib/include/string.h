/* Freestanding <string.h> for the kernel: the subset in core/lib/libc.h. */
#ifndef BULKHEAD_STRING_H
#define BULKHEAD_STRING_H
#include "core/lib/libc.h"
#endif
