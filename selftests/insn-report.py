#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Instructions per packet, from make bench's plugin boot.

selftests/bench.sh (section insn) prints "# INSN|label|run|sent" after
each marked udp-bench run; selftests/insn-count.c wrote "mark SEQ TOTAL
..." for each of the run's two marks, in the same order.  This pairs them
and prints bench-report.sh's "# BENCH-ROW|..." and "# BENCH-NOTE|..." lines.
With --plot FILE it also writes the data of BENCHMARKS.svg: entries,
mgre's transmit pps (from the main boot's log, --pps-log), and the
instructions per packet of mgre, plain routing and ip_gre.

Usage: insn-report.py VM_LOG MARKS [--pps-log LOG] [--plot FILE]
"""

import argparse
import os
import re
import sys

from insn_runs import marked_runs


def runs(log_path, marks_path):
    """{label: [instructions per packet of run 1, run 2]}"""
    out = {}
    for label, n, (_, t0), (_, t1) in marked_runs(log_path, marks_path,
                                                  "insn-report"):
        out.setdefault(label, []).append((t1 - t0) / n if n else 0.0)
    return out


def row(figure, a, b, ratio, target="-", met="-"):
    print(f"# BENCH-ROW|{figure}|{a}|{b}|{ratio}|{target}|{met}")


def fmt(v):
    return f"{v:.0f}" if v is not None else "n/a"


def mean(r, label):
    v = r.get(label)
    return sum(v) / len(v) if v else None


def div(a, b):
    return f"{a / b:.4f}" if a is not None and b else "n/a"


def pps_by_entries(path):
    """mgre's 64 B transmit pps at 1 and N entries, from the main boot."""
    pps = {}
    if not path or not os.path.exists(path):
        return pps
    one = re.compile(r"^# BENCH-ROW\|transmit 64 B: mgre 1 entry / plain routing, pps\|(\d+)")
    many = re.compile(r"^# BENCH-ROW\|transmit 64 B: mgre (\d+) entries / mgre 1 entry, pps\|(\d+)")
    with open(path, errors="replace") as f:
        for line in f:
            m = one.match(line)
            if m:
                pps[1] = int(m.group(1))
            m = many.match(line)
            if m:
                pps[int(m.group(1))] = int(m.group(2))
    return pps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("marks")
    ap.add_argument("--pps-log")
    ap.add_argument("--plot")
    a = ap.parse_args()

    r = runs(a.log, a.marks)
    if not r:
        sys.exit("insn-report: no runs in " + a.log)
    entries = sorted({int(k.split()[2]) for k in r if k.startswith("tx ")})
    for n in entries:
        m, p, g = (mean(r, f"tx {t} {n}") for t in ("mgre", "plain", "ip_gre"))
        what = "1 entry" if n == 1 else f"{n} entries"
        row(f"transmit 64 B, instructions per packet: mgre {what} / ip_gre NBMA "
            f"{'1 peer' if n == 1 else f'{n} peers'} (tunnel alone, less plain routing "
            f"over the same destinations: mgre {fmt(m - p) if m and p else 'n/a'}, "
            f"ip_gre {fmt(g - p) if g and p else 'n/a'})",
            fmt(m), fmt(g), div(m, g))
        row(f"transmit 64 B, instructions per packet: mgre {what} / plain routing "
            f"over the same destinations", fmt(m), fmt(p), div(m, p))
    none = mean(r, "rx none 1")
    for t, name in (("ip_gre", "ipgre"),):
        m, g = mean(r, "rx mgre 1"), mean(r, f"rx {name} 1")
        dm = m - none if m and none else None
        dg = g - none if g and none else None
        row("receive 64 B, instructions per packet decapsulated: mgre (LOCAL_IN "
            "hook) / ip_gre (the same sender's cost into a veth drop taken off: "
            f"{fmt(none)})", fmt(dm), fmt(dg), div(dm, dg))
    worst, where = 0.0, "-"
    for label, v in r.items():
        if len(v) == 2 and v[0]:
            d = abs(v[1] - v[0]) / v[0] * 100
            if d >= worst:
                worst, where = d, label
    row(f"instructions per packet, run 2 against run 1: the largest difference "
        f"of {len(r)} figures, % ({where})", f"{worst:.2f}", "-", "-", "<= 1",
        "yes" if worst <= 1 else "no")
    for label in sorted(r):
        print("# BENCH-NOTE|instructions per packet, " + label + ": " +
              " ".join(f"{v:.1f}" for v in r[label]))

    if a.plot:
        pps = pps_by_entries(a.pps_log)
        with open(a.plot, "w") as f:
            f.write("# entries mgre_pps mgre_insn plain_insn ipgre_insn\n")
            for n in entries:
                vals = [pps.get(n)] + [mean(r, f"tx {t} {n}")
                                       for t in ("mgre", "plain", "ip_gre")]
                f.write(f"{n} " + " ".join("NaN" if v is None else f"{v:.1f}"
                                           for v in vals) + "\n")


if __name__ == "__main__":
    main()
