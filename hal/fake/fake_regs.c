#include <string.h>
#include "fake_regs.h"
#include "regs/hal/aarch64/mmio.h"
#include "regs/hal/aarch64/sysreg.h"

struct fake_regs fake_regs;

void fake_regs_reset(void)
{
	memset(&fake_regs, 0, sizeof(fake_regs));
}

uint32_t mmio_read32(uintptr_t addr)
{
	fake_regs.reads++;
	return fake_regs.read32 ? fake_regs.read32(addr) : 0;
}

void mmio_write32(uintptr_t addr, uint32_t v)
{
	fake_regs.writes++;
	if (fake_regs.write32)
		fake_regs.write32(addr, v);
}

uint64_t mmio_read64(uintptr_t addr)
{
	return mmio_read32(addr) | (uint64_t)mmio_read32(addr + 4) << 32;
}

void mmio_write8(uintptr_t addr, uint8_t v)
{
	mmio_write32(addr, v);
}

bool mmio_probe_read32(uintptr_t addr, uint32_t *out)
{
	if (fake_regs.faults && fake_regs.faults(addr)) {
		*out = 0;
		return true;
	}
	*out = mmio_read32(addr);
	return false;
}

uint64_t fake_sysreg_read(const char *name)
{
	return fake_regs.sysreg_read ? fake_regs.sysreg_read(name) : 0;
}

void fake_sysreg_write(const char *name, uint64_t v)
{
	if (fake_regs.sysreg_write)
		fake_regs.sysreg_write(name, v);
}

/* The drivers map their registers first: on the host a "mapping" is the identity. */
#include "hal/mmu.h"

enum hal_err mmu_map_device(const struct pa_range *r, uintptr_t *va)
{
	*va = (uintptr_t)pa_addr(r->base);
	return HAL_OK;
}
