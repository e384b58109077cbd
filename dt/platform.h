/*
 * The platform description: everything Bulkhead learns about the machine from the
 * device tree it is handed, gathered once at boot and immutable after. Nothing in the
 * kernel reads the device tree for hardware facts except through this.
 */
#ifndef BULKHEAD_DT_PLATFORM_H
#define BULKHEAD_DT_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/lib/compiler.h"
#include "core/lib/types.h"
#include "dt/dt_error.h"

#define PLAT_MAX_RAM 8
#define PLAT_MAX_RESERVED 16
#define PLAT_MAX_CPUS 64 /* Kconfig's MAX_CPUS caps what is used */
#define PLAT_MAX_REDIST 4
#define PLAT_BOOTARGS_MAX 256
#define PLAT_PATH_MAX 64

enum gic_version { GIC_V2 = 2, GIC_V3 = 3 };
enum uart_kind { UART_PL011, UART_SBSA };
enum psci_conduit { PSCI_CONDUIT_HVC, PSCI_CONDUIT_SMC };
enum hyp_kind { HYP_NONE, HYP_XEN };

/* MPIDR_EL1 affinity fields Aff3..Aff0; the rest of the register is not identity. */
#define MPIDR_AFF_MASK 0xff00ffffffULL

struct platform {
	struct pa_range ram[PLAT_MAX_RAM];
	unsigned int n_ram;
	struct pa_range reserved[PLAT_MAX_RESERVED]; /* /memreserve/ and /reserved-memory */
	unsigned int n_reserved;

	uint64_t cpu_mpidr[PLAT_MAX_CPUS]; /* DT order; index = logical CPU number */
	unsigned int n_cpus;               /* kept (at most max_cpus) */
	unsigned int n_cpus_ignored;       /* in the DT beyond max_cpus */

	struct {
		enum gic_version version;
		struct pa_range dist;
		struct pa_range cpuif;                 /* GICv2 only */
		struct pa_range redist[PLAT_MAX_REDIST]; /* GICv3 only */
		unsigned int n_redist;
	} gic;

	struct {
		uint32_t virt_intid; /* EL1 virtual timer (used: works bare metal and under Xen) */
		uint32_t phys_intid; /* EL1 physical timer */
		uint32_t freq_hz;    /* clock-frequency if the DT gives one, else 0 (use CNTFRQ) */
	} timer;

	struct {
		enum uart_kind kind;
		struct pa_range regs;
		int node;                /* its offset in the tree parsed (what identifies it) */
		char path[PLAT_PATH_MAX]; /* for people: "" if longer */
	} console;

	struct {
		enum psci_conduit conduit;
		bool v1_0; /* "arm,psci-1.0" (else 0.2) */
	} psci;

	struct {
		enum hyp_kind kind;
		char compatible[32]; /* e.g. "xen,xen-4.17" */
	} hypervisor;

	struct {
		bool present; /* first enabled arm,pl031 (bare metal, or passed through by Xen) */
		struct pa_range regs;
		char path[PLAT_PATH_MAX];
	} rtc;

	char bootargs[PLAT_BOOTARGS_MAX];
	bool has_initrd;
	struct pa_range initrd;
};

/*
 * Parse and check the blob at fdt, of which bufsize bytes are readable. max_cpus
 * (>= 1) caps the CPUs kept. On DT_OK *out is complete; otherwise diag says what and
 * where, and *out must not be used.
 */
enum dt_err platform_parse(const void *fdt, size_t bufsize, unsigned int max_cpus,
			   struct platform *out, struct dt_diag *diag) __must_check;

/*
 * If node (in fdt, the tree p was parsed from) is a device the kernel keeps for itself
 * (console, interrupt controller, timer, PSCI), what it is in words; else NULL.
 */
const char *platform_kernel_device(const void *fdt, const struct platform *p, int node);

/* Logical CPU number of an MPIDR, or -1 if the platform has no such CPU. */
int platform_cpu_index(const struct platform *p, uint64_t mpidr);

uint64_t platform_ram_bytes(const struct platform *p);

const char *gic_version_name(enum gic_version v);
const char *uart_kind_name(enum uart_kind k);
const char *psci_conduit_name(enum psci_conduit c);
const char *hyp_kind_name(enum hyp_kind k);

#endif
