/* Stack protector support: the kernel and Debian's libfdt.a are built with it. */
#include <stdint.h>
#include "core/panic.h"

/* head.S sets a per-boot value before any protected function runs. */
uintptr_t __stack_chk_guard;

void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
	kernel_panic("stack smashing detected");
}
