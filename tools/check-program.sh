#!/usr/bin/env bash
# A partition program may use only what the EL0 ABI allows (docs/syscalls.md): no system
# register access but TPIDR_EL0 (the cell's thread pointer) and FPCR/FPSR (FP state),
# no cache or TLB maintenance, no calls to EL2/EL3, no WFI/WFE, no semihosting.
#   check-program.sh ELF [NAME]
# NAME is the program's name. One program, `attacker`, exists to try the forbidden
# instructions (docs/isolation.md): for it alone, and only for the exact instructions
# listed in ATTACKER_ALLOWED, the check lets them through. Every other program, and
# any other forbidden instruction in the attacker, fails the build.
set -euo pipefail
elf=$1
name=${2:-}
objdump=${CROSS_COMPILE:-aarch64-linux-gnu-}objdump
# Each line: one instruction (mnemonic and operands as objdump prints them, registers
# as x[0-9]+), the attack of partitions/attacker/insn.c that uses it.
ATTACKER_ALLOWED='^(mrs x[0-9]+, (cntp_ctl_el0|cntvct_el0|cntpct_el0|pmccntr_el0|sctlr_el1|ttbr1_el1)'\
'|msr (cntp_cval_el0|cntp_ctl_el0|pmcr_el0|ttbr0_el1), x[0-9]+'\
'|msr daifset, #0xf'\
'|dc (cisw|zva), x[0-9]+'\
'|ic ivau, x[0-9]+'\
'|tlbi vmalle1'\
'|smc #0x0|hvc #0x0|wfi|wfe|eret|hlt #0xf000)$'
bad=$($objdump -d --no-show-raw-insn "$elf" |
	awk -F'\t' 'NF >= 2 { print $2 "\t" $3 }' |
	grep -E '^(mrs|msr|sys|sysl|hvc|smc|hlt|eret|wfi|wfe|dc|ic|tlbi|at|dcps[123]|drps)([[:space:]]|$)' |
	grep -vE '^(mrs|msr)[[:space:]]+(x[0-9]+, )?(tpidr_el0|fpcr|fpsr)(, x[0-9]+)?$' || true)
if [ -n "$bad" ] && [ "$name" = attacker ]; then
	bad=$(echo "$bad" | tr '\t' ' ' | sed 's/ *$//' | grep -vE "$ATTACKER_ALLOWED" || true)
fi
if [ -n "$bad" ]; then
	echo "error: $elf uses instructions EL0 programs may not:" >&2
	echo "$bad" | sort | uniq -c >&2
	exit 1
fi
