#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host checks of make bench's instruction counts: the TCG plugin
# (selftests/insn-count.c) builds against the installed QEMU's
# qemu-plugin.h, and selftests/insn-report.py pairs runs with marks and
# computes what it should from a made-up log, and so does
# selftests/insn-profile.py (instructions by function) from a made-up
# profile and kallsyms, which selftests/ksyms.py carries through the VM's
# log.  TAP on stdout.

top=$(cd "$(dirname "$0")/.." && pwd)
report=$top/selftests/insn-report.py
profile=$top/selftests/insn-profile.py
n=0
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok()   { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

hdr=$("$top/selftests/qemu-plugin-fetch.sh" 2>"$tmp/fetch.err")
if [ -n "$hdr" ] && cc -O2 -Wall -Wextra -Werror -shared -fPIC -I"$hdr" \
	-o "$tmp/insn-count.so" "$top/selftests/insn-count.c" 2>"$tmp/cc.err" &&
   nm -D "$tmp/insn-count.so" | grep -qw qemu_plugin_install; then
	ok "the plugin builds against qemu-plugin.h ($hdr)"
else
	sed 's/^/# /' "$tmp/fetch.err" "$tmp/cc.err"
	fail "the plugin builds against qemu-plugin.h"
fi

# Three labels, two runs each, 1000 datagrams a run: tx mgre 1 costs
# 5000 and 5010 instructions a packet (0.2 % apart), tx plain 1 4000 and
# 4000, tx ip_gre 1 6000 and 6100 (1.67 % apart); marks accumulate.
{
	for l in "tx mgre 1" "tx plain 1" "tx ip_gre 1"; do
		for r in 1 2; do echo "# INSN|$l|$r|1000"; done
	done
} > "$tmp/log"
total=0 seq=0
: > "$tmp/marks"
for per in 5000 5010 4000 4000 6000 6100; do
	total=$((total + 123457))	# what runs between two runs
	echo "mark $((seq += 1)) $total $total 0" >> "$tmp/marks"
	total=$((total + per * 1000))
	echo "mark $((seq += 1)) $total $((total - 7)) 7" >> "$tmp/marks"
done
echo "mark $((seq + 1)) $((total + 5)) $total 5" >> "$tmp/marks"	# at exit

if out=$("$report" "$tmp/log" "$tmp/marks" --plot "$tmp/plot" 2>&1); then
	ok "insn-report.py reads the log and the marks"
else
	printf '# %s\n' "$out"
	fail "insn-report.py reads the log and the marks"
fi
row() { grep -F "# BENCH-ROW|$1" <<< "$out" | head -n 1; }
r=$(row "transmit 64 B, instructions per packet: mgre 1 entry / ip_gre")
if [[ $r == *"|5005|6050|0.8273|"* ]]; then
	ok "mgre against ip_gre: means of the two runs, and their ratio"
else
	fail "mgre against ip_gre: '$r'"
fi
if [[ $r == *"mgre 1005, ip_gre 2050"* ]]; then
	ok "the tunnel's share: less plain routing"
else
	fail "the tunnel's share: '$r'"
fi
r=$(row "instructions per packet, run 2 against run 1")
if [[ $r == *"|1.67|-|-|<= 1|no" ]] && [[ $r == *"(tx ip_gre 1)"* ]]; then
	ok "the largest difference between runs, and where"
else
	fail "the largest difference between runs: '$r'"
fi
if grep -q '^1 NaN 5005.0 4000.0 6050.0$' "$tmp/plot"; then
	ok "the plot's data"
else
	sed 's/^/# /' "$tmp/plot"
	fail "the plot's data"
fi
head -n 6 "$tmp/marks" > "$tmp/few"
if "$report" "$tmp/log" "$tmp/few" >/dev/null 2>&1; then
	fail "fewer marks than runs is accepted"
else
	ok "fewer marks than runs is an error"
fi

# The profile of the same runs: mgre's runs (closing marks 2 and 4) spend
# 3000 instructions a packet in ip_route_output_key_hash (two blocks of it)
# and 1000, then 1020, in mgre_xmit; plain's (6 and 8) 3000 in the route
# lookup alone.  What ran between runs (mark 1) is not theirs.
cat > "$tmp/prof" <<EOF
1 ffffffff81000010 999999
2 ffffffff81000010 3000000
2 ffffffffc0000110 1000000
4 ffffffff81000020 3000000
4 ffffffffc0000120 1020000
6 ffffffff81000010 3000000
8 ffffffff81000010 3000000
8 full 2
EOF
printf '%s\n' 'ffffffff81000000 t _stext' \
	'ffffffff81000000 T ip_route_output_key_hash' \
	'ffffffff81000030 D not_text' \
	"ffffffffc0000100 t mgre_xmit	[mgre]" \
	"ffffffffc0000200 t mgre_route	[mgre]" > "$tmp/ksyms"
if out=$("$profile" "$tmp/log" "$tmp/marks" "$tmp/prof" "$tmp/ksyms" 2>&1); then
	ok "insn-profile.py reads the log, marks, profile and symbols"
else
	printf '# %s\n' "$out"
	fail "insn-profile.py reads the log, marks, profile and symbols"
fi
if [[ $(sed -n 3p <<< "$out") == *"1010.0      0.0   1010.0  mgre_xmit [mgre]" ]] &&
   [[ $(sed -n 4p <<< "$out") == *"3000.0   3000.0      0.0  ip_route_output_key_hash" ]] &&
   [[ $(sed -n 1p <<< "$out") == *"tx mgre 1 4010, tx plain 1 3000, difference 1010" ]]; then
	ok "instructions per packet by function, the largest difference first"
else
	printf '# %s\n' "$out"
	fail "instructions per packet by function"
fi
# The same symbols carried out of the guest: ksyms.py pick keeps the
# text symbols that hold a profiled address, with their aliases (not
# mgre_route, where no block ran), as log lines; gather reads them back from a log whose lines
# carry a console prefix; the profile by function is the same.
ksyms=$top/selftests/ksyms.py
if "$ksyms" pick "$tmp/prof" "$tmp/ksyms" > "$tmp/picked" &&
   { sed 's/^/[   12.5] /' "$tmp/picked"; echo "# KSYM|junk"; } > "$tmp/guest.log" &&
   "$ksyms" gather "$tmp/guest.log" > "$tmp/gathered" &&
   [ "$(cut -d' ' -f3 "$tmp/gathered" | tr '\n' ' ')" = "ip_route_output_key_hash _stext mgre_xmit	[mgre] " ] &&
   [ "$("$profile" "$tmp/log" "$tmp/marks" "$tmp/prof" "$tmp/gathered")" = "$out" ]; then
	ok "ksyms.py carries the profile's symbols through the log"
else
	sed 's/^/# /' "$tmp/picked" "$tmp/gathered"
	fail "ksyms.py carries the profile's symbols through the log"
fi
if "$ksyms" gather "$tmp/log" >/dev/null 2>&1; then
	fail "a log without symbols is accepted"
else
	ok "a log without symbols is an error"
fi
if "$profile" "$tmp/log" "$tmp/marks" "$tmp/prof" "$tmp/ksyms" \
	--b "tx none 1" >/dev/null 2>&1; then
	fail "a label without runs is accepted"
else
	ok "a label without runs is an error"
fi

echo "1..$n"
[ "$fails" -eq 0 ]
