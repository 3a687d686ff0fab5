#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Instructions per packet by kernel function, from make bench's plugin boot.

selftests/insn-count.c with profile=PFILE writes, at each mark, the
instructions of the kernel blocks executed since the mark before, by the
address each block starts at ("SEQ ADDR COUNT").  The guest's
/proc/kallsyms (saved by bench.sh when MGRE_BENCH_KALLSYMS is set) names
the function of each address.  This pairs each "# INSN|label|run|sent"
line of the VM's log with its two marks, as insn-report.py does, and
prints per function the instructions per packet of label A, of label B,
and A less B, largest difference first: where A's extra cost goes.

Usage: insn-profile.py VM_LOG MARKS PROFILE KALLSYMS
                       [--a "tx mgre 1"] [--b "tx plain 1"] [--top 40]
"""

import argparse
import bisect
import collections
import sys

from insn_runs import marked_runs


def mark_seqs(log_path, marks_path):
    """{label: [(seq of the run's closing mark, packets sent), ...]}"""
    out = collections.defaultdict(list)
    for label, sent, _, (seq, _) in marked_runs(log_path, marks_path,
                                                "insn-profile"):
        out[label].append((seq, sent))
    return out


def symbols(path):
    """Sorted ([address], [name]) of the text symbols in a kallsyms file."""
    syms = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) < 3 or w[1] not in "tTwW":
                continue
            addr = int(w[0], 16)
            if addr:
                name = w[2] + (" " + w[3] if len(w) > 3 else "")
                syms.append((addr, name))
    if not syms:
        sys.exit("insn-profile: no text symbols with addresses in " + path +
                 " (kptr_restrict?)")
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def profile(path, wanted):
    """{seq: {addr: count}} for the seqs in wanted."""
    out = collections.defaultdict(dict)
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) != 3 or w[1] == "full":
                continue
            seq = int(w[0])
            if seq in wanted:
                out[seq][int(w[1], 16)] = int(w[2])
    return out


def per_function(label, runs, prof, addrs, names):
    """{function: mean instructions per packet over label's runs}"""
    acc = collections.Counter()
    n = 0
    for seq, sent in runs.get(label, []):
        if not sent:
            continue
        n += 1
        for addr, count in prof.get(seq, {}).items():
            i = bisect.bisect_right(addrs, addr) - 1
            acc[names[i] if i >= 0 else "?"] += count / sent
    if not n:
        sys.exit(f"insn-profile: no run labelled \"{label}\"")
    return {k: v / n for k, v in acc.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("marks")
    ap.add_argument("profile")
    ap.add_argument("kallsyms")
    ap.add_argument("--a", default="tx mgre 1")
    ap.add_argument("--b", default="tx plain 1")
    ap.add_argument("--top", type=int, default=40)
    o = ap.parse_args()

    runs = mark_seqs(o.log, o.marks)
    wanted = {s for label in (o.a, o.b) for s, _ in runs.get(label, [])}
    prof = profile(o.profile, wanted)
    addrs, names = symbols(o.kallsyms)
    a = per_function(o.a, runs, prof, addrs, names)
    b = per_function(o.b, runs, prof, addrs, names)
    ta, tb = sum(a.values()), sum(b.values())
    print(f"# kernel instructions per packet: {o.a} {ta:.0f}, {o.b} {tb:.0f}, "
          f"difference {ta - tb:.0f}")
    print(f"{'A':>8} {'B':>8} {'A-B':>8}  function")
    rows = sorted(set(a) | set(b),
                  key=lambda f: -abs(a.get(f, 0) - b.get(f, 0)))
    for f in rows[:o.top]:
        va, vb = a.get(f, 0.0), b.get(f, 0.0)
        print(f"{va:8.1f} {vb:8.1f} {va - vb:8.1f}  {f}")


if __name__ == "__main__":
    main()
