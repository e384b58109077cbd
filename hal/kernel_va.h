/*
 * The kernel's virtual address layout (TTBR1_EL1, 39-bit: the top 512 GiB of the
 * address space). Constants only, usable from assembly. docs/architecture.md has the
 * table. Everything here is kernel-only (no EL0 access) and global (nG = 0).
 *
 *   0xffffff8000000000  linear map: VA = KERNEL_LINEAR_BASE + PA, RAM only, RW XN,
 *                       without the kernel image and reserved memory (256 GiB)
 *   0xffffffc000000000  the kernel image (text RX, rodata RO, data/bss RW XN,
 *                       stacks with unmapped guards); linked at 0, so an address
 *                       minus KERNEL_IMAGE_VA is its link address (addr2line)
 *   0xffffffd000000000  I/O window: devices, the device tree, the initrd, mapped
 *                       bottom-up as found, one unmapped page between (64 GiB)
 */
#ifndef BULKHEAD_HAL_KERNEL_VA_H
#define BULKHEAD_HAL_KERNEL_VA_H

#ifdef __ASSEMBLY__
#define KVA_C(x) x
#else
#define KVA_C(x) x##ULL
#endif

#define KERNEL_VA_BITS 39
#define KERNEL_VA_START KVA_C(0xffffff8000000000) /* lowest TTBR1 address with T1SZ = 25 */
#define KERNEL_LINEAR_BASE KVA_C(0xffffff8000000000)
#define KERNEL_LINEAR_SIZE KVA_C(0x4000000000) /* physical addresses below 256 GiB */
#define KERNEL_IMAGE_VA KVA_C(0xffffffc000000000)
#define KERNEL_IMAGE_MAX KVA_C(0x40000000)
#define KERNEL_IO_BASE KVA_C(0xffffffd000000000)
#define KERNEL_IO_SIZE KVA_C(0x1000000000)

#endif
