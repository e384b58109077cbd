/*
 * Where the boot loader put the initrd (the plan handed over at boot), checked before
 * the kernel maps it as normal memory and hashes it. Pure: host tested.
 */
#ifndef BULKHEAD_CORE_INITRD_H
#define BULKHEAD_CORE_INITRD_H

#include "core/lib/compiler.h"
#include "core/lib/types.h"
#include "dt/platform.h"

enum initrd_err {
	INITRD_OK,
	INITRD_EMPTY,              /* size 0 */
	INITRD_WRAPS,              /* start + size passes the end of the address space */
	INITRD_NOT_IN_RAM,         /* some bytes are in no /memory range */
	INITRD_OVERLAPS_KERNEL,    /* shares bytes with the kernel image */
	INITRD_OVERLAPS_DTB,       /* shares bytes with the platform device tree */
	INITRD_OVERLAPS_RESERVED,  /* shares bytes with /memreserve/ or /reserved-memory */
};

const char *initrd_strerror(enum initrd_err e);

/* What the initrd must stay clear of. */
struct initrd_env {
	const struct platform *plat; /* RAM and reserved ranges */
	struct pa_range kernel;      /* the kernel image */
	struct pa_range dtb;         /* the platform DTB (size 0: nothing to avoid) */
};

/*
 * OK when every byte of initrd lies in RAM and none is in the kernel image,
 * the DTB or a reserved range. A reserved range equal to the initrd is the loader's
 * own reservation of it (U-Boot adds one) and is allowed. Otherwise *clash is the
 * range in the way: the first bytes outside RAM, or the range it overlaps.
 */
enum initrd_err initrd_check(const struct pa_range *initrd, const struct initrd_env *env,
			     struct pa_range *clash) __must_check;

#endif
