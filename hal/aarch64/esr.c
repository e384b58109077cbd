#include "hal/esr.h"
#include "core/lib/compiler.h"

static const struct {
	uint8_t ec;
	const char *name;
} ec_names[] = {
	{ 0x00, "unknown reason" },
	{ 0x01, "WFI/WFE trapped" },
	{ 0x07, "FP/SIMD access trapped" },
	{ 0x0e, "illegal execution state" },
	{ 0x15, "SVC (AArch64)" },
	{ 0x16, "HVC (AArch64)" },
	{ 0x17, "SMC (AArch64)" },
	{ 0x18, "MSR/MRS trapped" },
	{ 0x20, "instruction abort from lower EL" },
	{ 0x21, "instruction abort (same EL)" },
	{ 0x22, "PC alignment fault" },
	{ 0x24, "data abort from lower EL" },
	{ 0x25, "data abort (same EL)" },
	{ 0x26, "SP alignment fault" },
	{ 0x2c, "floating-point exception" },
	{ 0x2f, "SError" },
	{ 0x30, "breakpoint from lower EL" },
	{ 0x31, "breakpoint (same EL)" },
	{ 0x32, "software step from lower EL" },
	{ 0x33, "software step (same EL)" },
	{ 0x34, "watchpoint from lower EL" },
	{ 0x35, "watchpoint (same EL)" },
	{ 0x3c, "BRK instruction" },
};

/* Data/instruction fault status codes (DFSC/IFSC, ISS[5:0]). */
static const struct {
	uint8_t code;
	const char *name;
} fsc_names[] = {
	{ 0x00, "address size fault, level 0" },
	{ 0x01, "address size fault, level 1" },
	{ 0x02, "address size fault, level 2" },
	{ 0x03, "address size fault, level 3" },
	{ 0x04, "translation fault, level 0" },
	{ 0x05, "translation fault, level 1" },
	{ 0x06, "translation fault, level 2" },
	{ 0x07, "translation fault, level 3" },
	{ 0x09, "access flag fault, level 1" },
	{ 0x0a, "access flag fault, level 2" },
	{ 0x0b, "access flag fault, level 3" },
	{ 0x0d, "permission fault, level 1" },
	{ 0x0e, "permission fault, level 2" },
	{ 0x0f, "permission fault, level 3" },
	{ 0x10, "synchronous external abort" },
	{ 0x21, "alignment fault" },
	{ 0x30, "TLB conflict abort" },
};

enum { EC_IABT_LOW = 0x20, EC_IABT_CUR = 0x21, EC_DABT_LOW = 0x24, EC_DABT_CUR = 0x25 };
#define ISS_WNR BIT(6)
#define ISS_FSC_MASK 0x3fu

struct esr_info esr_decode(uint64_t esr)
{
	struct esr_info i = {
		.ec = (uint32_t)(esr >> 26) & 0x3f,
		.iss = (uint32_t)esr & 0x1ffffff,
		.ec_name = "reserved or unhandled class",
	};

	for (unsigned int k = 0; k < ARRAY_SIZE(ec_names); k++)
		if (ec_names[k].ec == i.ec)
			i.ec_name = ec_names[k].name;
	if (i.ec == EC_IABT_LOW || i.ec == EC_IABT_CUR || i.ec == EC_DABT_LOW || i.ec == EC_DABT_CUR) {
		i.fault = "other fault status";
		for (unsigned int k = 0; k < ARRAY_SIZE(fsc_names); k++)
			if (fsc_names[k].code == (i.iss & ISS_FSC_MASK))
				i.fault = fsc_names[k].name;
	}
	if (i.ec == EC_DABT_LOW || i.ec == EC_DABT_CUR)
		i.access = (i.iss & ISS_WNR) ? "write" : "read";
	return i;
}

static const char *const kind_names[16] = {
	"sync, current EL, SP_EL0", "irq, current EL, SP_EL0",
	"fiq, current EL, SP_EL0", "serror, current EL, SP_EL0",
	"sync, current EL, SP_ELx", "irq, current EL, SP_ELx",
	"fiq, current EL, SP_ELx", "serror, current EL, SP_ELx",
	"sync, lower EL, AArch64", "irq, lower EL, AArch64",
	"fiq, lower EL, AArch64", "serror, lower EL, AArch64",
	"sync, lower EL, AArch32", "irq, lower EL, AArch32",
	"fiq, lower EL, AArch32", "serror, lower EL, AArch32",
};

const char *exception_kind_name(unsigned int kind)
{
	return kind < 16 ? kind_names[kind] : "?";
}
