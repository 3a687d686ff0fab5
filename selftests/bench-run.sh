#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-run: the benchmark boot, then the instruction-count boot (the
# same VM with selftests/insn-count.c loaded into QEMU), then the report:
# BENCHMARKS.md and its plot BENCHMARKS.svg, or with BENCH_ONLY
# selftests/out/bench-only.md (and .svg).
#
# Environment: KVER (the kernel to boot), BENCH_ONLY=SECTION[,SECTION...]
# (selftests/bench.sh; "insn" is the second boot), MGRE_BENCH_*.
# BENCH_PROFILE=1: the second boot also profiles the kernel by function
# (insn-count.c's profile=), and selftests/out/insn-profile.txt says where
# mgre's instructions over plain routing go (selftests/insn-profile.py).

set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=selftests/out
only=${BENCH_ONLY:-}
kver=${KVER:?KVER is required}
mkdir -p "$out"

main=1 insn=1
if [ -n "$only" ]; then
	[[ ",$only," == *,insn,* ]] || insn=0
	[ -n "$(tr ',' '\n' <<< "$only" | grep -vx insn || true)" ] || main=0
fi
if [ -n "$only" ]; then
	report=$out/bench-only.md plot=$out/bench-only.svg
else
	report=BENCHMARKS.md plot=BENCHMARKS.svg
fi

rm -f "$out/bench.log" "$out/bench-insn.log" "$out/insn-rows.txt"
if [ "$main" = 1 ]; then
	MGRE_BENCH_ONLY="$only" MGRE_TEST_TIMEOUT=2100 \
		selftests/vm-run.sh --kver "$kver" --timeout 2200 \
		--tests bench 2>&1 | tee "$out/bench.log"
fi

if [ "$insn" = 1 ]; then
	hdr=$(selftests/qemu-plugin-fetch.sh)
	cc -O2 -Wall -Wextra -Werror -shared -fPIC -I"$hdr" \
		-o "$out/insn-count.so" selftests/insn-count.c
	plugin=$top/$out/insn-count.so,out=$top/$out/insn-marks.txt
	prof='' ksyms=''
	if [ "${BENCH_PROFILE:-0}" = 1 ]; then
		prof=$top/$out/insn-prof.txt ksyms=$out/kallsyms.txt
		plugin=$plugin,profile=$prof
		rm -f "$prof" "$ksyms"
	fi
	VNG_KVM=0 MGRE_BENCH_ONLY=insn MGRE_BENCH_INSN=1 MGRE_TEST_TIMEOUT=2100 \
		MGRE_BENCH_PROFILE=$prof \
		selftests/vm-run.sh --kver "$kver" --timeout 2200 \
		--qemu-plugin "$plugin" \
		--tests bench 2>&1 | tee "$out/bench-insn.log"
	if [ -n "$ksyms" ]; then
		# The guest printed the symbols its profile needs into the log.
		selftests/ksyms.py gather "$out/bench-insn.log" > "$ksyms" || true
		for b in "tx plain 1" "tx ip_gre 1"; do
			selftests/insn-profile.py "$out/bench-insn.log" \
				"$out/insn-marks.txt" "$out/insn-prof.txt" \
				"$ksyms" --a "tx mgre 1" --b "$b"
		done > "$out/insn-profile.txt" || true
		echo "bench-run: the profile is in $out/insn-profile.txt"
	fi
	selftests/insn-report.py "$out/bench-insn.log" "$out/insn-marks.txt" \
		--pps-log "$out/bench.log" --plot "$out/insn-plot.dat" \
		> "$out/insn-rows.txt" || true
	# Without the main boot (BENCH_ONLY=insn) there is no rate to plot.
	pps="\"$out/insn-plot.dat\""
	[ -f "$out/bench.log" ] &&
		pps="$pps using 1:2 axes x1y1 with linespoints lw 2 title \"mgre pps\", \"\""
	if [ -s "$out/insn-plot.dat" ]; then
		gnuplot <<-GP
		set terminal svg size 800,480 dynamic font "sans,12" noenhanced
		set output "$plot"
		set title "mgre transmit, 64 B datagrams"
		set logscale x
		set xlabel "entries (ip_gre: neighbour entries)"
		set ylabel "transmit rate, packets/s (mgre)"
		set y2label "instructions per packet"
		set ytics nomirror
		set y2tics
		set yrange [0:*]
		set y2range [0:*]
		set key bottom left
		set grid
		plot $pps using 1:3 axes x1y2 with linespoints title "mgre instructions", \
		     "" using 1:4 axes x1y2 with linespoints title "plain routing instructions", \
		     "" using 1:5 axes x1y2 with linespoints title "ip_gre instructions"
		GP
	fi
fi

log=$out/bench.log
[ -f "$log" ] || log=$out/bench-insn.log
selftests/bench-report.sh "$log" "$out/insn-rows.txt" \
	"$plot" > "$report"
