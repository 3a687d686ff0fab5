#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where a test's time went, from a VM run with MGRE_TRACE=1.

Usage: trace-report.py LOG [TEST]   (TEST: e.g. mgre_ipv6.sh)

Each command's time is the time to the next traced command, so a
pipeline's time is charged to its last command.  Prints the time by
command (first words), then the slowest single commands.
"""

import collections
import re
import sys


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    only = sys.argv[2] if len(sys.argv) > 2 else None
    lines = []
    test = None
    with open(sys.argv[1], errors="replace") as f:
        for raw in f:
            for line in raw.split("\r"):
                m = re.match(r"# ===== (\S+)", line)
                if m:
                    test = m.group(1)
                m = re.match(r"T\| (\++) (\d+\.\d+) (.*)", line.rstrip("\n"))
                if m and (only is None or test == only):
                    lines.append((float(m.group(2)), m.group(3)))
    if len(lines) < 2:
        sys.exit("no trace lines (was the run made with MGRE_TRACE=1?)")
    by = collections.Counter()
    count = collections.Counter()
    single = []
    for (t, cmd), (t_next, _) in zip(lines, lines[1:]):
        d = t_next - t
        if d < 0 or d > 3600:   # the next test's trace
            continue
        w = cmd.split()
        key = " ".join(w[:3]) if w and w[0] in ("ip", "nsx", "run_cmd",
                                                "timeout") else (w or [""])[0]
        by[key] += d
        count[key] += 1
        single.append((d, cmd[:140]))
    print("%.1f s traced, %d commands" % (lines[-1][0] - lines[0][0],
                                          len(lines)))
    for key, secs in by.most_common(30):
        print("%8.1f s %5d  %s" % (secs, count[key], key[:100]))
    print("slowest single commands:")
    for d, cmd in sorted(single, reverse=True)[:25]:
        print("%8.2f s  %s" % (d, cmd))


if __name__ == "__main__":
    main()
