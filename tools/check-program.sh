#!/usr/bin/env bash
# A partition program may use only what the EL0 ABI allows (docs/syscalls.md): no system
# register access but TPIDR_EL0 (the cell's thread pointer) and FPCR/FPSR (FP state),
# no cache or TLB maintenance, no calls to EL2/EL3, no WFI/WFE, no semihosting.
#   check-program.sh ELF
set -euo pipefail
elf=$1
objdump=${CROSS_COMPILE:-aarch64-linux-gnu-}objdump
bad=$($objdump -d --no-show-raw-insn "$elf" |
	awk -F'\t' 'NF >= 2 { print $2 "\t" $3 }' |
	grep -E '^(mrs|msr|sys|sysl|hvc|smc|hlt|eret|wfi|wfe|dc|ic|tlbi|at|dcps[123]|drps)([[:space:]]|$)' |
	grep -vE '^(mrs|msr)[[:space:]]+(x[0-9]+, )?(tpidr_el0|fpcr|fpsr)(, x[0-9]+)?$' || true)
if [ -n "$bad" ]; then
	echo "error: $elf uses instructions EL0 programs may not:" >&2
	echo "$bad" | sort | uniq -c >&2
	exit 1
fi
