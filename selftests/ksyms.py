#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The profile's kernel symbols, carried out of the guest through its log.

The guest sees the host's file system read-only, so bench.sh cannot save
its /proc/kallsyms there, and Debian's /boot/System.map is a stub.  But
the guest can read the profile that the QEMU plugin writes on the host
(selftests/insn-count.c, profile=; flushed at every mark).  So, after the
profiled runs, the guest picks the text symbols that hold a profiled
address and prints them into the VM's log; the host gathers them into a
file in /proc/kallsyms's format for insn-profile.py.

Usage: ksyms.py pick PROFILE [KALLSYMS]   (in the guest: "# KSYM|" lines)
       ksyms.py gather VM_LOG              (on the host: kallsyms lines)
"""

import bisect
import re
import sys

KSYM = re.compile(r"# KSYM\|([0-9a-f]+ [tTwW] \S.*?)\s*$")


def text_symbols(path):
    """Sorted [(address, line)] of the text symbols in a kallsyms file."""
    syms = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) >= 3 and w[1] in "tTwW":
                addr = int(w[0], 16)
                if addr:
                    syms.append((addr, line.rstrip("\n")))
    syms.sort()
    return syms


def pick(profile, kallsyms):
    syms = text_symbols(kallsyms)
    if not syms:
        sys.exit("ksyms: no text symbols with addresses in " + kallsyms +
                 " (kptr_restrict?)")
    addrs = [a for a, _ in syms]
    need = set()
    with open(profile) as f:
        for line in f:
            w = line.split()
            if len(w) == 3 and w[1] != "full":
                i = bisect.bisect_right(addrs, int(w[1], 16)) - 1
                if i >= 0:
                    need.add(i)
    # With the symbols that share its address, so that the host picks
    # among aliases as it would from the whole of /proc/kallsyms.
    for i in sorted(need):
        while i > 0 and addrs[i - 1] == addrs[i]:
            i -= 1
        need.update(range(i, bisect.bisect_right(addrs, addrs[i])))
    for i in sorted(need):
        print("# KSYM|" + syms[i][1])
    print(f"# KSYMS|{len(need)} symbols of {len(syms)}")


def gather(log):
    n = 0
    with open(log, errors="replace") as f:
        for line in f:
            m = KSYM.search(line)
            if m:
                print(m.group(1))
                n += 1
    if not n:
        sys.exit("ksyms: no \"# KSYM|\" line in " + log)


def main():
    a = sys.argv[1:]
    if len(a) in (2, 3) and a[0] == "pick":
        pick(a[1], a[2] if len(a) == 3 else "/proc/kallsyms")
    elif len(a) == 2 and a[0] == "gather":
        gather(a[1])
    else:
        sys.exit(__doc__.strip().split("Usage: ")[1])


if __name__ == "__main__":
    main()
