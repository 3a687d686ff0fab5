#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Teardown under load: devices and namespaces go away while ping floods run
# through the tunnel and dynamic entries have timers pending.
#
#   netns A                            netns B
#   mgre0 10.0.0.1/24 key 42           mgre0 10.0.0.2/24 key 42
#   veth0 198.51.100.1/24 ----------- veth0 198.51.100.2/24
#
# Each maps the other (static) plus 50 registered entries with running
# holdtimes.  The kernel log is checked by the runner (run-in-vm.sh) after
# all tests, which also unloads the module under traffic.

source "$(dirname "$0")/lib.sh"

require_mgre
require_cmd ping python3

NL="python3 $(dirname "$0")/nl.py"

# mgre_up NS ME PEER: (re)create mgre0 with its entries.
mgre_up()
{
	local ns=$1 me=$2 peer=$3

	run_cmd ip -n "$ns" link add mgre0 type mgre local 198.51.100.$me \
		key 42 || return 1
	ip -n "$ns" addr add 10.0.0.$me/24 dev mgre0
	ip -n "$ns" link set mgre0 up
	run_cmd nsx "$ns" mgrectl add 10.0.0.$peer nbma 198.51.100.$peer \
		dev mgre0 || return 1
	run_cmd nsx "$ns" $NL addmany mgre0 50 --proto 10.99.0.1 \
		--nbma 198.51.100.100 --type 1 --holdtime 2
}

setup()
{
	setup_ns A B || return 1
	ip link add veth0 netns "$A" type veth peer name veth0 netns "$B" ||
		return 1
	ip -n "$A" addr add 198.51.100.1/24 dev veth0
	ip -n "$B" addr add 198.51.100.2/24 dev veth0
	ip -n "$A" link set veth0 up
	ip -n "$B" link set veth0 up
	mgre_up "$A" 1 2 && mgre_up "$B" 2 1
}

# flood NS DST: ping flood in the background for at most 60 s.
flood()
{
	bg "$1" ping -q -f -w 60 "$2"
}

# tx_grows NS DEV: DEV's tx_packets in NS rises within 2 s (times the time
# scale).
tx_grows()
{
	local c0

	c0=$(link_tx_packets "$1" "$2")
	busywait $((2000 * TIME_SCALE)) nsx "$1" \
		sh -c "[ \$(cat /sys/class/net/$2/statistics/tx_packets) -gt $c0 ]"
}

setup
check_err $? "building the topology failed"
ping_ok "$A" 10.0.0.2
check_err $? "A cannot ping B through the tunnel"
log_test "two nodes pass traffic"

# 1. delete the device under a flood
flood "$A" 10.0.0.2
flood "$B" 10.0.0.1
B_FLOOD=$BG_PID
tx_grows "$A" mgre0
check_err $? "the flood does not go through A's mgre0"
run_cmd ip -n "$A" link del mgre0
check_err $? "deleting mgre0 under traffic failed"
ip -n "$A" link show mgre0 >/dev/null 2>&1
check_fail $? "mgre0 still exists"
log_test "delete a device under a ping flood, with live entries and timers"

# 2. recreate it while B still floods towards it
mgre_up "$A" 1 2
check_err $? "recreating mgre0 failed"
ping_ok "$A" 10.0.0.2
check_err $? "A cannot ping B through the recreated device"
log_test "recreate the device, traffic resumes"

# 3. flush and change the key under traffic
flood "$A" 10.0.0.2
run_cmd nsx "$A" mgrectl flush dev mgre0
check_err $? "flush under traffic failed"
run_cmd ip -n "$A" link set mgre0 type mgre key 43
check_err $? "changing the key under traffic failed"
run_cmd ip -n "$A" link set mgre0 type mgre key 42
run_cmd nsx "$A" mgrectl add 10.0.0.2 nbma 198.51.100.2 dev mgre0
check_err $? "re-adding the entry after flush failed"
ping_ok "$A" 10.0.0.2
check_err $? "A cannot ping B after flush and key change"
log_test "flush and key change under traffic"

# 4. delete B's namespace: its device, entries, timers and the flood inside
tx_grows "$B" mgre0
check_err $? "B's flood does not go through its mgre0"
run_cmd ip netns del "$B"
check_err $? "deleting netns B failed"
# the flood's process holds the namespace: ending it lets the kernel tear
# the namespace down now, with A's flood still arriving
kill "$B_FLOOD"
NS_LIST=("${NS_LIST[@]/$B/}")
ip netns list | grep -q "^$B\b"
check_fail $? "netns B still listed"
log_test "delete a namespace holding a device, entries and a flood"

# 5. A's flood keeps hitting a now unreachable peer; its entries expire
#    (holdtime 2) while the device is deleted: timers must not outlive it.
run_cmd nsx "$A" $NL addmany mgre0 50 --proto 10.98.0.1 \
	--nbma 198.51.100.100 --type 1 --holdtime 1
check_err $? "adding short-lived entries failed"
run_cmd ip -n "$A" link del mgre0
check_err $? "deleting A's mgre0 failed"
# let holdtimes that were pending pass: a timer that outlives its device
# would fire now
sleep 2
ip -n "$A" link show >/dev/null
check_err $? "netns A broken after expiry time passed"
log_test "delete a device with expiry timers pending"

# 6. many create/delete cycles with entries
rc=0
for i in $(seq 1 20); do
	ip -n "$A" link add mgre$i type mgre local 198.51.100.1 key $i ||
		rc=1
	ip -n "$A" link set mgre$i up
	nsx "$A" mgrectl add 10.0.$i.2 nbma 198.51.100.2 dev mgre$i || rc=1
done
for i in $(seq 1 20); do
	ip -n "$A" link del mgre$i || rc=1
done
check_err $rc "create/delete cycles failed"
log_test "20 devices with entries created and deleted"

kill_bg
tests_done
