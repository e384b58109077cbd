/*
 * Cell start-up (the program's ELF entry, _start) and end. The kernel enters every cell
 * here (include/bulkhead/abi.h, "The registers a cell starts with"): sp = the top of the
 * cell's own stack, x0 = the cell's entry function, x1 = its index, x2 = the info page.
 *
 * Nothing is zeroed or copied here: the kernel loaded .data and zeroed .bss, the heap and
 * the stacks before the first cell ran, and a restart reloads the whole image. What is
 * per cell is set up here: a TLS block (picolibc keeps errno there, we keep the cell's
 * index and output buffers) carved from the top of the cell's stack, and the thread
 * pointer (TPIDR_EL0, which the kernel saves per cell) pointing at it.
 */
#include <stdint.h>
#include <string.h>
#include "bulkhead.h"
#include "rt.h"

/* picolibc: copy the TLS template into a block, and point TPIDR_EL0 at a block. */
void _init_tls(void *tls);
void _set_tls(void *tls);
/* program.lds: the TLS block's size and alignment (symbol values, not addresses). */
extern char __tls_size[], __tls_align[];

static __thread unsigned int cell_index;

unsigned int bh_cell_index(void)
{
	return cell_index;
}

__attribute__((noreturn)) void _start(void (*entry)(void), uint64_t cell, uint64_t info);

__attribute__((noreturn, used)) void _start(void (*entry)(void), uint64_t cell, uint64_t info)
{
	uintptr_t align = (uintptr_t)__tls_align < 16 ? 16 : (uintptr_t)__tls_align;
	uintptr_t raw = (uintptr_t)__builtin_alloca((size_t)(uintptr_t)__tls_size + align);
	void *tls = (void *)((raw + align - 1) & ~(align - 1));

	_init_tls(tls);
	_set_tls(tls);
	cell_index = (unsigned int)cell;
	if (info != BH_INFO_VA || bh_info()->magic != BH_INFO_MAGIC ||
	    bh_info()->abi_version != BH_ABI_VERSION) {
		static const char msg[] = "partition info page missing or of another ABI version";

		(void)bh_raise_error(RT_ERR_ABI, msg, sizeof(msg) - 1);
		bh_cell_stop();
	}
	entry();
	bh_cell_stop(); /* an entry that returns ends its cell */
}

/* exit(), abort() and a failed stack check end the calling cell, saying why. */
__attribute__((noreturn)) void _exit(int status);

__attribute__((noreturn)) void _exit(int status)
{
	char msg[48];
	int n = snprintf(msg, sizeof(msg), "cell %u exited with status %d", cell_index, status);

	(void)bh_raise_error(RT_ERR_EXIT, msg, n > 0 ? (size_t)n : 0);
	bh_cell_stop();
}

/* picolibc's raise() (abort, failed stack checks) signals "this process": a partition
 * has no processes or signals, so a signal ends the calling cell. */
int getpid(void);
int kill(int pid, int sig);

int getpid(void)
{
	return 1;
}

int kill(int pid, int sig)
{
	_exit(128 + sig);
}
