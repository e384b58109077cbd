/*
 * Stack protector and fortify support: the kernel and Debian's libfdt.a and
 * libbearssl.a are built with them.
 */
#include <stddef.h>
#include <stdint.h>
#include "core/lib/libc.h"
#include "core/panic.h"

/* head.S sets a per-boot value before any protected function runs. */
uintptr_t __stack_chk_guard;

void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
	kernel_panic("stack smashing detected");
}

/* What -D_FORTIFY_SOURCE calls when the destination's size is known (BearSSL). */
void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_len);
void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dst_len)
{
	if (n > dst_len)
		kernel_panic("buffer overflow detected (memcpy)");
	return BH_LIBC(memcpy)(dst, src, n);
}
