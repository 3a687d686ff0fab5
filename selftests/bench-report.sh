#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of make bench: turns the console log of the benchmark VM
# (selftests/bench.sh's "# BENCH-ROW|..." and "# BENCH-NOTE|..." lines) into
# BENCHMARKS.md on stdout: the table, the method, the kernel and the
# machine.  Prints the table to stderr too.
#
# Usage: selftests/bench-report.sh CONSOLE_LOG [INSN_ROWS [PLOT]] > BENCHMARKS.md
#
# INSN_ROWS: the rows and notes of the instruction-count boot
# (selftests/insn-report.py); PLOT: the name of the SVG plot beside the
# report (a path from the current directory; the report links its base
# name, so both go in one directory), shown under the table when it exists.

set -u

log=${1:?usage: bench-report.sh CONSOLE_LOG [INSN_ROWS [PLOT]]}
insn=${2:-/dev/null}
plot=${3:-}
[ -r "$log" ] || { echo "bench-report: cannot read $log" >&2; exit 1; }

rows=$(cat "$log" "$insn" | grep -a '^# BENCH-ROW|' | cut -d'|' -f2-)
notes=$(cat "$log" "$insn" | grep -a '^# BENCH-NOTE|' | cut -d'|' -f2-)
vm_kernel=$(grep -a -m1 '^# kernel ' "$log" | sed 's/^# kernel //')
vm_mode=$(grep -a -m1 '^# vm-run: kernel' "$log" | sed 's/^# vm-run: //')
vm_secs=$(grep -a '^# vm-run: VM ran' "$log" | tail -1 | sed 's/^# vm-run: //')
verdict=$(tail -n 1 "$log")

table()
{
	echo "| figure | mgre | baseline | ratio | target | met? |"
	echo "|---|---|---|---|---|---|"
	if [ -z "$rows" ]; then
		echo "| (no results: the run failed, see the log) | | | | | |"
	else
		printf '%s\n' "$rows" | sed 's/|/ | /g; s/^/| /; s/$/ |/'
	fi
}

table >&2

# The tree the run measured: BENCHMARKS.md and its plot, being written
# now, do not make it dirty.
top=$(dirname "$0")/..
rev=$(git -C "$top" rev-parse --short HEAD 2>/dev/null)
[ -z "$(git -C "$top" status --porcelain -- . ':!BENCHMARKS.md' ':!BENCHMARKS.svg' 2>/dev/null)" ] ||
	rev="$rev-dirty"

cat <<EOF
# mgre benchmarks

Written by \`make bench\` on $(date -u '+%Y-%m-%d %H:%M UTC') from
\`$rev\`.
Every figure was measured in one boot of one VM, beside its baseline; only
the ratios mean anything (the VM runs under TCG on a shared, noisy host).

$(table)

Run: $vm_mode; $vm_secs; result \`$verdict\`.
$(if [ -n "$plot" ] && [ -f "$plot" ]; then
	echo
	echo "![64 B transmit rate of mgre, and instructions per packet of mgre, ip_gre and plain routing, against the number of entries](${plot##*/})"
	echo
	echo "Transmit rate (left axis, pps, this boot) and instructions per"
	echo "packet (right axis, the plugin's boot) against the number of"
	echo "entries; ip_gre's points are its neighbour entries (peers)."
fi)

## Notes from the run

$(printf '%s\n' "$notes" | sed 's/^/- /')

## Method

- One virtme-ng VM (2 vCPUs, 2 GiB), booted with \`slab_nomerge\`;
  \`selftests/vm-run.sh --tests bench\` runs \`selftests/bench.sh\` in it.
  Phase 1 unloads mgre and loads ip_gre, phase 2 swaps them back (each
  phase measures one tunnel alone, beside plain routing).
- **Transmit**: \`tools/udp-bench\` in namespace TX sends UDP datagrams
  (64 and 1400 payload bytes) with \`sendmmsg()\` in batches of 64, every
  datagram to its own destination through one unconnected socket, pinned to
  CPU 0, for \`MGRE_BENCH_SECONDS\` (3 s) per run; the figure is the
  median of \`MGRE_BENCH_REPS\` (default 5) runs of the packets that *arrived* at the
  peer veth (ingress \`matchall action drop\`), divided by the run's time.
  Plain routing: \`10.0.0.0/8 via\` the peer, measured in both phases (the
  baseline is their mean). ip_gre: an NBMA \`gre\` device (key 42, no remote)
  with one permanent neighbour entry 10.0.0.2 -> 198.18.0.1. mgre: one
  device with 1, 1,000, 100,000 and 1,000,000 static entries 10.0.0.2+i ->
  198.18.0.1+(i mod 65536) added by \`nhrp-load fill\` (pipelined generic
  netlink), traffic spread over min(N, 65536) next hops evenly across the
  table; one warm-up pass over the destinations before timing. NBMA
  addresses are routed via the same peer in every case. Each mgre N figure
  has a twin through plain routing, over the same destinations and measured
  in turns with plain routing to one destination: spreading traffic over
  many destinations costs the sending host's own IP path something with no
  tunnel at all, and the mgre ratio divided by the plain one is the share
  of the cache.
- **Multicast**: an mgre device with 64 static entries flagged multicast
  (NBMA 198.18.0.1..64, routed via the peer) and \`239.0.0.0/8 dev mgre0\`;
  udp-bench sends to 239.1.1.1, in turns with unicast through the 1-entry
  device. The figure is copies arriving per second against unicast packets
  arriving per second: what one copy costs against one whole unicast
  transmit (the copy skips the socket and the UDP/IP output path).
- **Receive**: namespace TX sends through a 1-entry mgre device (key 42)
  to RX, whose mgre device (local 198.51.100.2, key 42) decapsulates into
  an ingress \`matchall action drop\` on itself; the figure is RX's mgre0
  \`rx_packets\` per second. mgre is reloaded for every run, alternately
  with its default receive (the netfilter LOCAL_IN hook that shares the
  kernel with ip_gre) and with \`rx_demux=1\` (version 0 from the GRE
  demultiplexer, the exclusive path of earlier releases);
  \`MGRE_BENCH_REPS\` runs of each, the ratio is the median of the runs'
  ratios. The sender's cost is the same on both sides.
- **Registrations**: \`nhrp-load register\` (pinned to CPU 1) plays
  \`MGRE_BENCH_SPOKES\` spokes (NBMA 198.18.0.1+i, tunnel 10.128.0.2+i,
  window 256, holdtime 3600) against an mgre hub, and against FRR's nhrpd
  (with zebra, user frr) on an ip_gre NBMA tunnel, the latter capped at
  \`MGRE_BENCH_FRR_SECONDS\`; its 100k time is extrapolated from its rate.
  Resolutions: \`nhrp-load resolve\`, 1000 spokes registered, then spoke 0
  asks for the others (window 64).
- **Memory**: growth of \`Slab + VmallocUsed\` (/proc/meminfo) while the
  filler adds the entries, per entry (hash table and id xarray included);
  the \`mgre_entry\` slab's own share is shown beside it. Baseline: growth of
  the same for 100,000 \`ip neigh add\` on the ip_gre device, plus the RSS
  growth of nhrpd and zebra per registered peer.
- **Resolution latency**: a hub and two mgre spokes (NHRP, holdtime 600) on
  a bridge; spoke A sends a datagram every 0.1 ms to spoke B (2000 of them)
  after its entry for B is deleted and its underlay neighbour for B's NBMA
  address is warmed by a ping (on the Internet a spoke's underlay next hop
  is its gateway, always resolved; here B is on A's segment and ARP for it
  added 2-3 ms to the first direct packet); from a capture on A's underlay:
  time from the first data packet (to the hub) until the shortcut is in
  use, beside the Resolution Request -> Reply time (the hub round trip);
  losses counted by a receiver on B. Median of 5 trials, losses summed. The
  shortcut is in use when the Reply arrives if every data packet sent after
  it went straight to B (else at the first that did). The first direct
  packet's own time is shown too: under TCG the first packet's
  \`sendto()\` carries the request, the hub's reply and forwarding in the
  same CPU's softirq, so the sender's second packet, already direct, leaves
  0.6-1 ms (sometimes 7 ms) later.
- **Bulk TCP**: namespace TA sends to TB with iperf3 (1 and 4 streams,
  \`MGRE_BENCH_SECONDS\` each, \`MGRE_BENCH_TCP_REPS\` rounds), IPv4 and
  IPv6 inside, over mgre (static entries), over an ip_gre NBMA device
  (permanent neighbours) and by plain routing, one after the other in each
  round with the order rotating; mgre and ip_gre are loaded side by side.
  The figure is the median of the rounds.
- **Instructions per packet**: a second boot with the TCG plugin
  \`selftests/insn-count.c\` loaded into QEMU (built at \`make bench\`
  against the qemu-plugin.h of the installed QEMU's Debian source package).
  It counts the instructions every vCPU executes; \`udp-bench --mark\`
  makes it write the count just before its first datagram and just after
  its last, so a run's count over its datagrams (64 B,
  \`MGRE_BENCH_INSN_PACKETS\`, 50,000) is what one costs on the whole path:
  socket, IP output, the tunnel, the veth and the sink's drop. The count
  does not depend on the host's load. Transmit as above, mgre at 1, 1,000,
  100,000 and 1,000,000 entries, plain routing over the same destinations,
  ip_gre with as many neighbour entries up to 100,000. Receive: the
  decapsulating host's share, the same sender into a veth drop taken off.
  Every figure is measured twice in a row; the table shows the largest
  difference.
- **Storm**: the hub sends 64-byte datagrams to 1000 static entries (CPU 0)
  to a sink namespace, quiet, during \`nhrp-load register\` of the spokes
  (CPU 1, after flushing the registered entries), and quiet again; quiet is
  the mean of the two.

## Machine

- Host: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1),
  $(nproc) CPUs, $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo),
  $(. /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-Linux}"), host kernel $(uname -r);
  $(qemu-system-x86_64 --version 2>/dev/null | head -1), $(vng --version 2>/dev/null | head -1)
- VM kernel: $vm_kernel
EOF
