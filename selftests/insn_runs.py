# SPDX-License-Identifier: GPL-2.0
"""The marked runs of make bench's plugin boot, for insn-report.py and
insn-profile.py.

selftests/bench.sh prints "# INSN|label|run|sent" after each marked
udp-bench run; selftests/insn-count.c wrote "mark SEQ TOTAL ..." for each
of the run's two marks, in the same order.
"""

import sys


def marked_runs(log_path, marks_path, who):
    """[(label, sent, (seq, total) of the opening mark, of the closing one)]"""
    marks = []
    with open(marks_path) as f:
        for line in f:
            w = line.split()
            if len(w) >= 3 and w[0] == "mark":
                marks.append((int(w[1]), int(w[2])))
    out = []
    i = 0
    with open(log_path, errors="replace") as f:
        for line in f:
            if not line.startswith("# INSN|"):
                continue
            _, label, _run, sent = line.strip().split("|")
            if i + 1 >= len(marks):
                sys.exit(who + ": fewer marks than runs")
            out.append((label, int(sent or 0), marks[i], marks[i + 1]))
            i += 2
    return out
