#!/usr/bin/env python3
"""Kernel passes of a QEMU instruction trace, counted by function.

A pass is one exception from EL0 to the eret back: from the lower-EL synchronous or IRQ
vector to the first eret. Passes with the same shape are grouped, most frequent first,
each with its instruction count and the count per function (symbols from the ELF).
How docs/benchmarks.md's breakdowns were counted, and how to calibrate BENCH_UNSEEN
(core/run_bench.c): trace the same plan with the default image and the bench image and
compare a pass's count with the bench figure.

  qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -smp 1 -m 512M -nographic \\
      -net none -icount shift=0,align=off,sleep=off -kernel build/bulkhead.img \\
      -initrd build/plans/bench-switch.dtb -append "loglevel=info runtime_ms=30" \\
      -singlestep -d exec,nochain -dfilter 0xffffffc000000000..0xffffffc000030000 -D trace.log
  tools/trace-passes.py build/bulkhead.elf trace.log irq 5

(The kernel's range only keeps the trace small: a spinning partition's instructions
would be most of it. Traces are large: a few hundred MB per 30 ms of a busy plan.)
"""
import bisect
import collections
import re
import subprocess
import sys

KERNEL_VA = 0xffffffc000000000
VECTOR = {"sync": 0x400, "irq": 0x480}


def symbols(elf):
    out = subprocess.run(["aarch64-linux-gnu-nm", "-n", elf], capture_output=True, text=True,
                         check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def erets(elf):
    out = subprocess.run(["aarch64-linux-gnu-objdump", "-d", elf], capture_output=True, text=True,
                         check=True).stdout
    return {KERNEL_VA + int(l.split(":")[0], 16) for l in out.splitlines() if "\teret" in l}


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: trace-passes.py ELF TRACE [irq|sync] [GROUPS]")
    elf, log = sys.argv[1], sys.argv[2]
    kind = sys.argv[3] if len(sys.argv) > 3 else "irq"
    groups = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    syms = symbols(elf)
    addrs = [a for a, _ in syms]
    vectors = dict((n, a) for a, n in syms)["exception_vectors"] + KERNEL_VA
    entries = {vectors + v for v in VECTOR.values()}
    want = vectors + VECTOR[kind]
    ends = erets(elf)
    pat = re.compile(r"Trace (\d+): 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
    cur, passes = {}, []
    with open(log, errors="replace") as f:
        for line in f:
            m = pat.match(line)
            if not m:
                continue
            cpu, pc = m.group(1), int(m.group(2), 16)
            if pc in entries:
                cur[cpu] = [pc] if pc == want else None
                continue
            if cur.get(cpu) is not None:
                cur[cpu].append(pc)
                if pc in ends:
                    passes.append(cur[cpu])
                    cur[cpu] = None

    def name(pc):
        i = bisect.bisect_right(addrs, pc - KERNEL_VA) - 1
        return syms[i][1] if i >= 0 else hex(pc)

    shapes = collections.Counter()
    for p in passes:
        by_fn = collections.OrderedDict()
        for pc in p:
            by_fn[name(pc)] = by_fn.get(name(pc), 0) + 1
        shapes[(len(p), tuple(by_fn.items()))] += 1
    print(len(passes), kind, "passes")
    for (n, fns), count in shapes.most_common(groups):
        print(f"{count} x {n}:", " ".join(f"{k}:{v}" for k, v in fns))


if __name__ == "__main__":
    main()
