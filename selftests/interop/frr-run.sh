#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# FRR nhrpd interoperability test of mgre, host side.
#
# One virtme-ng VM holds both worlds, since mgre and ip_gre share the
# kernel: vm-both.sh loads mgre.ko and ip_gre and runs vm-mgre.sh (side A:
# an mgre hub and two mgre spokes) beside vm-frr.sh (side B: FRR zebra +
# nhrpd on ip_gre, a hub and two spokes), each in its own namespaces, their
# switches joined by a veth pair.  The sides synchronise through flag files
# in a host directory the VM can write, which also receives their TAP logs,
# the underlay captures of the mgre nodes and nhrpd's debug logs.  The host
# then checks the captures with tshark and cuts FRR's packets out for the
# codec's corpus.
#
# Usage: selftests/interop/frr-run.sh [--kernel VMLINUZ | --kver VER]
#            [--srcdir DIR] [--timeout SEC] [--outdir DIR] [--save-corpus [DIR]]
#
#   --kernel VMLINUZ   kernel to boot (default: the newest /boot/vmlinuz-6.1.*)
#   --kver VER         boot /boot/vmlinuz-VER
#   --srcdir DIR       tree holding the built mgre.ko and tools/ (default: this
#                      repository)
#   --timeout SEC      deadline of the whole run (default 330)
#   --outdir DIR       keep logs, captures and cut packets in DIR (default: a
#                      temporary directory, removed unless something failed
#                      or KEEP=1)
#   --save-corpus [DIR]  also copy FRR's captured packets (frr-captured-*)
#                      to DIR (default: tests/codec/corpus of this repository)
#
# Build first (make), e.g. in a copy of the tree so that concurrent edits do
# not matter:  rsync -a --exclude .git ./ /tmp/t/ && make -C /tmp/t &&
#              selftests/interop/frr-run.sh --srcdir /tmp/t
# A run takes about 3.5 minutes under TCG.
#
# Environment: VNG_KVM=0/1 skips KVM detection; KEEP=1 keeps the run dir.
# Needs (selftests/setup.sh installs them): virtme-ng, qemu, frr, tshark,
# iptables, tcpdump, jq, python3.  Output is TAP; the last line is
#   N passed, N failed
# and the exit status is 0 only if everything passed.

set -u
set +m

SELFDIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$SELFDIR/../.." && pwd)
SRCDIR=$REPO
kernel=
kver=
timeout=330
outdir=
corpus=

die()
{
	echo "frr-run: $*" >&2
	echo "0 passed, 1 failed"
	exit 1
}

usage()
{
	sed -n '/^# Usage:/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--kver) kver=$2; shift 2 ;;
	--srcdir) SRCDIR=$(cd "$2" && pwd) || exit 2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--outdir) outdir=$2; shift 2 ;;
	--save-corpus)
		shift
		if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
			corpus=$1; shift
		else
			corpus=$REPO/tests/codec/corpus
		fi ;;
	-h|--help) usage ;;
	*) echo "frr-run: unknown argument '$1'" >&2; usage ;;
	esac
done
case $timeout in ''|*[!0-9]*) die "--timeout wants seconds, got '$timeout'" ;; esac
[ "$timeout" -ge 120 ] || die "--timeout below 120 s cannot work (a VM boot and two sides)"

for c in vng qemu-system-x86_64 tshark python3 jq; do
	command -v "$c" >/dev/null 2>&1 || die "$c not found (run selftests/setup.sh)"
done
for f in /usr/lib/frr/nhrpd /usr/lib/frr/zebra /usr/bin/vtysh; do
	[ -x "$f" ] || die "$f not found (apt-get install frr)"
done

# ---- kernel and artifacts ----------------------------------------------
if [ -n "$kernel" ] && [ -n "$kver" ]; then
	die "--kernel and --kver are exclusive"
elif [ -n "$kver" ]; then
	kernel=/boot/vmlinuz-$kver
elif [ -z "$kernel" ]; then
	kernel=$(ls /boot/vmlinuz-6.1.* 2>/dev/null | sort -V | tail -1)
	[ -n "$kernel" ] || die "no /boot/vmlinuz-6.1.* (run selftests/setup.sh)"
fi
[ -r "$kernel" ] || die "kernel image $kernel not readable"
[ -n "$kver" ] || kver=${kernel##*/vmlinuz-}
[ -d "/lib/modules/$kver" ] || die "/lib/modules/$kver missing"

ko=$SRCDIR/mgre.ko
for f in "$ko" "$SRCDIR/tools/mgrectl" "$SRCDIR/tools/link_mgre.so"; do
	[ -f "$f" ] || die "$f not found: build first (make)"
done
vermagic=$(modinfo -F vermagic "$ko" 2>/dev/null | awk '{print $1}')
[ "$vermagic" = "$kver" ] ||
	die "mgre.ko was built for '$vermagic' but the kernel is '$kver'"

run=$(mktemp -d /tmp/mgre-interop.XXXXXX) || die "mktemp failed"
stage=$run/stage
out=${outdir:-$run/out}
mkdir -p "$stage/tools" "$stage/selftests/interop" "$out" || die "mkdir failed"
out=$(cd "$out" && pwd)
rm -rf "$out/sync" "$out"/a-* "$out"/b-* "$out"/vm-*.log "$out/corpus"
mkdir -p "$out/sync" "$out/corpus"
cp "$ko" "$stage/"
cp "$SRCDIR/tools/mgrectl" "$SRCDIR/tools/link_mgre.so" "$stage/tools/"
cp "$SELFDIR/../lib.sh" "$stage/selftests/"
cp "$SELFDIR"/*.sh "$SELFDIR"/*.py "$stage/selftests/interop/"
chmod -R a+rX "$stage"
chmod -R a+rwX "$out"

pids=()
kill_vms()
{
	local p pid

	for p in "${pids[@]}"; do
		# Each vng leads a session: end it and the qemu it started.
		for pid in $(pgrep -s "$p" 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null
		done
		kill -9 "$p" 2>/dev/null
	done
	pids=()
}

cleanup()
{
	kill_vms
	rm -rf "$stage"
	if [ -n "$outdir" ]; then
		rm -rf "$run"
	elif [ "${KEEP:-0}" = 1 ] || [ "${failed:-1}" -ne 0 ]; then
		echo "# frr-run: output kept in $out" >&2
	else
		rm -rf "$run"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the VM ----------------------------------------------------------------
kvm=${VNG_KVM:-}
if [ -z "$kvm" ]; then
	kvm=0
	if [ -w /dev/kvm ] &&
	   timeout -k 5 30 vng --run "$kernel" --exec true </dev/null >/dev/null 2>&1; then
		kvm=1
	fi
fi
vm_deadline=$((timeout - 60))

echo "# frr-run: kernel $kernel, $([ "$kvm" = 1 ] && echo KVM || echo 'TCG (no KVM)'), deadline ${timeout}s, output $out"
start=$(date +%s)
args=(--run "$kernel" --memory 2G --cpus 2 --cwd "$stage"
      --rwdir="$out=$out" --name interop)
[ "$kvm" = 1 ] || args+=(--disable-kvm)
pidfile=$run/vng.pid
setsid sh -c 'echo $$ > "$0"; exec "$@"' "$pidfile" vng "${args[@]}" \
	--exec "INTEROP_OUT=$out MGRE_STAGE=$stage bash $stage/selftests/interop/vm-both.sh $vm_deadline" \
	</dev/null >"$run/console.log" 2>&1 &
for _ in $(seq 100); do
	[ -s "$pidfile" ] && break
	sleep 0.1
done
[ -s "$pidfile" ] || die "vng did not start"
pids+=("$(cat "$pidfile")")

timed_out=0
while kill -0 "${pids[0]}" 2>/dev/null; do
	if [ $(($(date +%s) - start)) -ge "$timeout" ]; then
		timed_out=1
		break
	fi
	sleep 1
done
kill_vms
echo "# frr-run: VM ran $(($(date +%s) - start))s"

# ---- verdict ---------------------------------------------------------------
n=0 passed=0 failed=0

case_result()
{
	local rc=$1 desc=$2 msg=${3:-}

	n=$((n + 1))
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok $n - $desc"
	else
		failed=$((failed + 1))
		echo "not ok $n - $desc${msg:+ # $msg}"
	fi
}

# The TAP cases of side NAME, renumbered, and a failure if it did not
# finish.
vm_cases()
{
	local name=$1 label=$2 log=$out/vm-$1.log line

	echo "# ===== side $name ($label) ====="
	if [ ! -s "$log" ]; then
		sed 's/^/#   /' "$run/console.log" | tail -40
		case_result 1 "$label: side $name ran its test" "no output (VM failed to boot?)"
		return
	fi
	while IFS= read -r line; do
		case $line in
		"ok "[0-9]*" - "*)
			case_result 0 "$label: ${line#ok * - }" ;;
		"not ok "[0-9]*" - "*)
			line=${line#not ok * - }
			case_result 1 "$label: ${line%% # *}" "${line#* # }" ;;
		"1..0 # SKIP"*)
			case_result 1 "$label: VM test" "skipped: ${line#1..0 # SKIP }" ;;
		*) echo "$line" ;;
		esac
	done < <(tr -d '\r' < "$log")
	grep -qE '^1\.\.[1-9]' "$log" ||
		case_result 1 "$label: side $name completed" \
			"no plan line: killed at its deadline or crashed (see $log)"
}

vm_cases a mgre
vm_cases b FRR
[ $timed_out = 1 ] && case_result 1 "VM ended before the ${timeout}s deadline" "killed"

# ---- tshark on what the mgre nodes sent -------------------------------------
echo "# ===== captures (tshark $(tshark -v 2>/dev/null | head -1 | awk '{print $3}')) ====="
# node capture file : the node's NBMA address
caps=("hub:192.0.2.1" "sp1:192.0.2.11" "sp2:192.0.2.12")

# count FILE FILTER: frames of FILE matching the display filter.
count()
{
	tshark -n -r "$1" -Y "$2" -T fields -e frame.number 2>/dev/null | wc -l
}

first_frame()
{
	tshark -n -r "$1" -Y "$2" -T fields -e frame.number 2>/dev/null | head -1
}

# sent_count FILTER: over every node, NHRP frames the node sent matching.
sent_count()
{
	local c f a total=0

	for c in "${caps[@]}"; do
		f=$out/a-${c%%:*}.pcap a=${c#*:}
		[ -s "$f" ] || continue
		total=$((total + $(count "$f" "nhrp && ip.src == $a && ($1)")))
	done
	echo $total
}

have_caps=1
for c in "${caps[@]}"; do
	[ -s "$out/a-${c%%:*}.pcap" ] || have_caps=0
done

if [ $have_caps = 0 ]; then
	case_result 1 "d: tshark checks of mgre's packets" "captures missing in $out"
else
	total=$(sent_count "nhrp")
	bad=$(sent_count "_ws.malformed || _ws.expert.severity >= warning || nhrp.hdr.chksum.status != 1")
	for c in "${caps[@]}"; do
		f=$out/a-${c%%:*}.pcap a=${c#*:}
		echo "# ${c%%:*} ($a) sent:"
		tshark -n -r "$f" -Y "nhrp && ip.src == $a" 2>/dev/null |
			awk '{ $1 = ""; $2 = ""; print }' | sort | uniq -c | sed 's/^/#   /'
		tshark -n -r "$f" -Y "nhrp && ip.src == $a" -q -z expert,warn 2>/dev/null |
			grep -v '^$' | sed 's/^/#   expert: /'
	done
	rc=0 msg=''
	[ "$total" -ge 8 ] || { rc=1; msg="only $total NHRP packets sent by mgre captured"; }
	[ "$bad" -eq 0 ] || { rc=1; msg="$bad of $total NHRP packets mgre sent are malformed, have expert warnings or bad checksums"; }
	case_result $rc "d: tshark decodes all $total NHRP packets mgre sent: no Malformed, no expert warning, checksums good" "$msg"

	# expect WHAT MIN FILTER GOOD: at least MIN frames mgre sent match
	# FILTER, and all of them also match GOOD.
	rc=0 msg=''
	expect()
	{
		local what=$1 min=$2 sel=$3 good=$4 all ok

		all=$(sent_count "$sel")
		ok=$(sent_count "($sel) && ($good)")
		echo "# $what: $ok of $all as expected"
		if [ "$all" -lt "$min" ] || [ "$ok" -ne "$all" ]; then
			rc=1
			msg="${msg:+$msg; }$what: $ok of $all (need >= $min) match [$good]"
		fi
	}
	expect "Registration Requests" 2 "nhrp.hdr.op.type == 3 && nhrp.hdr.pro.type == 0x0800" \
		"nhrp.hdr.hopcnt == 1 && nhrp.flag.u == 1 && nhrp.code == 0 && nhrp.prefix == 255 && nhrp.htime == 60 && nhrp.hdr.afn == 1 && nhrp.hdr.pro.type == 0x0800 && nhrp.hdr.version == 1 && nhrp.hdr.extoff > 0"
	expect "IPv6 Registration Requests" 2 "nhrp.hdr.op.type == 3 && nhrp.hdr.pro.type == 0x86dd" \
		"nhrp.hdr.hopcnt == 1 && nhrp.flag.u == 1 && nhrp.code == 0 && nhrp.prefix == 255 && nhrp.src.prot.len == 16 && nhrp.dst.prot.len == 16 && nhrp.hdr.extoff > 0"
	expect "Registration Replies to the FRR spoke" 1 "nhrp.hdr.op.type == 4 && ip.dst == 192.0.2.21 && nhrp.hdr.pro.type == 0x0800" \
		"nhrp.code == 0 && !(nhrp.code > 0) && nhrp.flag.u == 1 && nhrp.dst.prot.addr == 10.0.0.1 && nhrp.src.prot.addr == 10.0.0.21 && nhrp.ext.type == 0x0003"
	expect "Resolution Requests" 2 "nhrp.hdr.op.type == 1" \
		"nhrp.flag.q == 1 && nhrp.flag.a == 1 && nhrp.flag.s == 1 && nhrp.hdr.hopcnt == 64 && nhrp.code == 0"
	expect "IPv6 Registration Replies to the FRR spoke" 1 "nhrp.hdr.op.type == 4 && ip.dst == 192.0.2.21 && nhrp.hdr.pro.type == 0x86dd" \
		"nhrp.code == 0 && !(nhrp.code > 0) && nhrp.flag.u == 1 && nhrp.dst.prot.len == 16 && nhrp.ext.type == 0x0003"
	expect "IPv6 Resolution Requests" 1 "nhrp.hdr.op.type == 1 && nhrp.hdr.pro.type == 0x86dd" \
		"nhrp.flag.q == 1 && nhrp.flag.a == 1 && nhrp.flag.s == 1 && nhrp.hdr.hopcnt == 64 && nhrp.src.prot.len == 16"
	expect "Resolution Replies" 2 "nhrp.hdr.op.type == 2 && nhrp.hdr.pro.type == 0x0800" \
		"nhrp.code == 0 && !(nhrp.code > 0) && nhrp.flag.d == 1 && nhrp.flag.a == 1 && nhrp.prefix == 32 && nhrp.client.nbma.addr && nhrp.cli.addr_tl.len == 4"
	# FRR sends one request for sure (after "clear ip nhrp shortcut");
	# how many more depends on its timers.
	expect "Resolution Replies to FRR's requests" 1 "nhrp.hdr.op.type == 2 && nhrp.src.prot.addr == 10.0.0.22" \
		"nhrp.code == 0 && nhrp.client.nbma.addr == 192.0.2.12 && nhrp.client.prot.addr == 10.0.0.12 && nhrp.src.nbma.addr == 192.0.2.22"
	case_result $rc "d: fields of mgre's packets: Registration Request hop count 1, U, one CIE; Registration Reply code 0; Resolution Request Q/A/S; Resolution Reply D/A, code 0, /32" "$msg"

	# The data plane used the shortcuts.
	direct=$(count "$out/a-sp1.pcap" "ip.src == 192.0.2.11 && ip.dst == 192.0.2.21 && icmp.type == 8")
	case_result $(( direct >= 10 ? 0 : 1 )) "c1: mgre spoke's echo requests to 10.0.0.21 went straight to 192.0.2.21 ($direct seen)" \
		"fewer than 10 direct echo requests"
	direct=$(count "$out/a-sp1.pcap" "ip.src == 192.0.2.11 && ip.dst == 192.0.2.21 && icmpv6.type == 128")
	case_result $(( direct >= 10 ? 0 : 1 )) "c6: mgre spoke's IPv6 echo requests to 2001:db8::21 went straight to 192.0.2.21 ($direct seen)" \
		"fewer than 10 direct IPv6 echo requests"
	direct=$(count "$out/a-sp2.pcap" "ip.src == 192.0.2.12 && ip.dst == 192.0.2.22 && icmp.type == 8")
	case_result $(( direct >= 10 ? 0 : 1 )) "c2: mgre spoke's echo requests to 10.0.0.22 went straight to 192.0.2.22 ($direct seen)" \
		"fewer than 10 direct echo requests"
	direct=$(count "$out/a-sp2.pcap" "ip.src == 192.0.2.22 && ip.dst == 192.0.2.12 && icmp.type == 8")
	case_result $(( direct >= 10 ? 0 : 1 )) "c2: FRR spoke's echo requests to 10.0.0.12 came straight from 192.0.2.22 ($direct seen)" \
		"fewer than 10 direct echo requests: FRR's shortcut not used"

	# FRR's hub forwarded its spoke's request to mgre and mgre's answer back.
	fwd_req=$(count "$out/a-sp2.pcap" "nhrp.hdr.op.type == 1 && ip.src == 192.0.2.2 && nhrp.src.nbma.addr == 192.0.2.22 && nhrp.hdr.hopcnt == 63")
	fwd_rep=$(count "$out/a-sp2.pcap" "nhrp.hdr.op.type == 2 && ip.src == 192.0.2.12 && ip.dst == 192.0.2.2 && nhrp.src.prot.addr == 10.0.0.22 && nhrp.dst.prot.addr == 10.0.0.12")
	case_result $(( fwd_req >= 1 && fwd_rep >= 1 ? 0 : 1 )) \
		"c2: FRR's Resolution Request reached the mgre spoke through the FRR hub (hop count 63) and mgre's answer went back to the hub" \
		"$fwd_req forwarded requests, $fwd_rep answers to the hub captured"

	# ---- FRR's packets for the codec corpus ----------------------------
	rc=0 msg='' saved=''
	# cut NAME FILE TYPE FILTER
	cut_frr()
	{
		local name=$1 f=$out/a-$2.pcap type=$3 sel=$4 fr res

		fr=$(first_frame "$f" "nhrp.hdr.op.type == $type && ($sel)")
		if [ -z "$fr" ]; then
			rc=1 msg="${msg:+$msg; }no $name in a-$2.pcap"
			return
		fi
		res=$(python3 "$SELFDIR/pcap_nhrp.py" "$f" "$fr" \
			"$out/corpus/frr-captured-$name" "$type" 2>&1)
		if [ $? -ne 0 ]; then
			rc=1 msg="${msg:+$msg; }$name (a-$2.pcap frame $fr): $res"
			return
		fi
		echo "# frr-captured-$name: a-$2.pcap frame $fr, $res"
		saved="$saved frr-captured-$name"
	}
	cut_frr regreq hub 3 "ip.src == 192.0.2.21 && nhrp.hdr.pro.type == 0x0800"
	cut_frr regrep sp2 4 "ip.src == 192.0.2.2 && nhrp.hdr.pro.type == 0x0800"
	cut_frr regreq6 hub 3 "ip.src == 192.0.2.21 && nhrp.hdr.pro.type == 0x86dd"
	cut_frr regrep6 sp2 4 "ip.src == 192.0.2.2 && nhrp.hdr.pro.type == 0x86dd"
	cut_frr resreq sp2 1 "nhrp.src.nbma.addr == 192.0.2.22"
	cut_frr resreq-fwd sp2 1 "ip.src == 192.0.2.2 && nhrp.src.nbma.addr == 192.0.2.22"
	cut_frr resrep sp2 2 "ip.src == 192.0.2.2 && nhrp.src.prot.addr == 10.0.0.12"
	cut_frr traffic-ind sp2 8 "ip.src == 192.0.2.2"
	if [ $rc = 0 ] && [ -n "$corpus" ]; then
		if mkdir -p "$corpus" && cp "$out"/corpus/frr-captured-* "$corpus/"; then
			echo "# copied to $corpus:$saved"
		else
			rc=1 msg="cannot copy to $corpus"
		fi
	fi
	case_result $rc "e: FRR's Registration Request/Reply (IPv4 and IPv6), Resolution Request/Reply and Traffic Indication captured and cut to NHRP payloads ($out/corpus)" "$msg"
fi

echo "1..$n"
echo "# frr-run: $(($(date +%s) - start))s in all; logs, captures, nhrpd debug logs: $out (kept with --outdir, KEEP=1 or on failure)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
