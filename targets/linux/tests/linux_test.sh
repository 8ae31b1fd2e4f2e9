#!/usr/bin/env bash
# Tests of the Linux targets' environment handling (ctest label `linux`):
#   linux_test.sh CASE TCPCHECK WORKDIR
# kill      SIGKILL of a run with two scripts in flight leaves no network
#           namespace (lsns -t net, which sees unnamed ones) and no link
# sigint    the same for SIGINT
# normal    a normal end leaves nothing either
# unpriv    without privilege: exit 3 and a one-line SKIP reason, no crash
# kselftest the kernel's packetdrill selftests (ci/fetch-kselftest-pkt.sh)
#           on linux: counts printed; each must pass or SKIP with a reason
#           (exit 77, skipped, when they have not been fetched)
set -uo pipefail
case_name=$1
tcpcheck=$2
work=$3/linux-$case_name
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1

fail() { echo "FAIL: $*"; exit 1; }

. "$(dirname "$0")/cleanup_lib.sh"

case $case_name in
kill) check_cleanup KILL 20 linux ;;
sigint) check_cleanup INT 20 linux ;;
normal)
  check_cleanup none 1 linux
  grep -q '^2 passed' run.txt || { cat run.txt; fail "the runs should pass"; } ;;
unpriv)
  long_script 0 a.pkt linux
  chmod 755 "$work" && chmod 644 a.pkt
  setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
    "$tcpcheck" run --target linux a.pkt >out.txt 2>&1
  rc=$?
  cat out.txt
  [ $rc -eq 3 ] || fail "expected exit code 3 without privilege, got $rc"
  [ "$(wc -l <out.txt)" -eq 1 ] || fail "expected one line"
  grep -q 'SKIP.*linux.*CAP_' out.txt || fail "the line should say SKIP and the capability" ;;
iface)
  # linux-raw --iface: the stack under test is a "device" on the wire. Here
  # the device is the kernel in a namespace of the test's own (listening on
  # 8080), at the far end of a veth pair whose near end is in a second
  # test namespace, where tcpcheck runs. Nothing touches the host's
  # namespace. Packets only: a script with socket calls is SKIP.
  dev=tcdev$$ inj=tcinj$$
  cleanup_iface() {
    [ -n "${lpid:-}" ] && kill "$lpid" 2>/dev/null
    ip netns del "$dev" 2>/dev/null
    ip netns del "$inj" 2>/dev/null
  }
  trap cleanup_iface EXIT
  ip netns add "$dev" && ip netns add "$inj" || fail "cannot create test namespaces"
  ip -n "$inj" link add wire0 type veth peer name wire1 netns "$dev" || fail "veth"
  ip -n "$inj" link set wire0 up && ip -n "$dev" link set lo up &&
    ip -n "$dev" link set wire1 up && ip -n "$dev" addr add 192.0.2.1/24 dev wire1 &&
    ip -n "$dev" addr add 2001:db8::1/64 dev wire1 nodad ||
    fail "cannot configure the veth"
  # A real device computes its checksums; a veth leaves them to offload.
  ip netns exec "$dev" ethtool -K wire1 tx off >/dev/null || fail "ethtool (ci/install-deps.sh)"
  ip netns exec "$dev" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("::", 8080)); s.listen(4); time.sleep(60)' &
  lpid=$!
  sleep 0.5
  cat >dev.pkt <<'PKT'
// @targets linux-raw
--tolerance_usecs=200000
  0 < S 0:0(0) win 8192 <mss 1460>
 +0 > S. 0:0(0) ack 1 <...>
+.05 < . 1:1(0) ack 1 win 8192
+.05 < R. 1:1(0) ack 1 win 0
PKT
  cat >verbs.pkt <<'PKT'
// @targets linux-raw
  0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
PKT
  ip netns exec "$inj" "$tcpcheck" run --target linux-raw --iface wire0 \
    --local-ip 192.0.2.1 --remote-ip 192.0.2.2 dev.pkt verbs.pkt >out.txt 2>&1
  cat out.txt
  grep -q '^PASS  dev.pkt' out.txt || fail "the handshake with the device"
  grep -q '^SKIP  verbs.pkt.*does not model socket' out.txt || fail "verbs should be SKIP"
  grep -q 'device on wire0' out.txt || fail "the report should name the device"
  ip netns exec "$inj" "$tcpcheck" run --target linux-raw --iface wire0 \
    --local-ip 2001:db8::1 --remote-ip 2001:db8::2 dev.pkt >out.txt 2>&1
  grep -q '^PASS  dev.pkt (IPv6)' out.txt || { cat out.txt; fail "IPv6: the handshake"; }
  ip netns exec "$inj" "$tcpcheck" run --target linux-raw --iface wire0 \
    --local-ip 192.0.2.9 --remote-ip 192.0.2.2 dev.pkt >out.txt 2>&1
  grep -q 'no answer from the device' out.txt || { cat out.txt; fail "no device: a clear error"; }
  "$tcpcheck" run --target linux --iface wire0 dev.pkt >out.txt 2>&1
  grep -q 'iface is for --target linux-raw' out.txt || { cat out.txt; fail "--iface on linux"; } ;;
sysctl)
  # @config sysctl.NAME=VALUE reaches the namespace: with tcp_sack=0 the
  # SYN-ACK carries no sackOK. A name outside net.* is SKIP, and the host's
  # own value is untouched.
  host_sack=$(cat /proc/sys/net/ipv4/tcp_sack)
  cat >s.pkt <<'PKT'
// @config sysctl.net.ipv4.tcp_sack=0 sysctl.net.ipv4.tcp_timestamps=0
  0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
 +0 bind(3, ..., ...) = 0
 +0 listen(3, 1) = 0
 +0 < S 0:0(0) win 8192 <mss 1460,sackOK,nop,nop,nop,wscale 7>
 +0 > S. 0:0(0) ack 1 <mss 1460,nop,wscale 7>
PKT
  "$tcpcheck" run --target linux s.pkt >out.txt 2>&1 || { cat out.txt; fail "sysctl script"; }
  [ "$(cat /proc/sys/net/ipv4/tcp_sack)" = "$host_sack" ] || fail "host tcp_sack changed"
  "$tcpcheck" run --target linux --config sysctl.kernel.hostname=x s.pkt >out.txt 2>&1
  grep -q 'SKIP.*only net\.\* sysctls' out.txt || { cat out.txt; fail "kernel.* not refused"; }
  "$tcpcheck" run --target ref s.pkt >out.txt 2>&1
  grep -q 'SKIP.*has no sysctls' out.txt || { cat out.txt; fail "ref should SKIP"; } ;;
kselftest)
  # As the kernel's ksft_runner.sh runs them: both families, an MTU that
  # gives MSS 1460 in both (its --mtu=1520 for IPv6). Their shell lines
  # (./defaults.sh, sysctl, set_sysctls.py) become namespace sysctls
  # (harness/shell.c). A FAIL listed in kselftest-known.tsv, with its
  # reason, is counted as known; any other FAIL or ERROR fails the test.
  dir=$(cd "$(dirname "$0")/../../.." && pwd)/third_party/kselftest-packetdrill
  known=$(dirname "$0")/kselftest-known.tsv
  [ -f "$dir/.fetched" ] || { echo "SKIP: run ci/fetch-kselftest-pkt.sh first"; exit 77; }
  "$tcpcheck" run --target linux --ip-version both -j 2 --config mss=1460 "$dir" >out.txt 2>&1
  grep -E '^(PASS|FAIL|SKIP|XFAIL|XPASS|ERROR) ' out.txt | sed 's/ [0-9.]* ms//' | cut -c1-200
  echo "kselftest packetdrill on linux: $(tail -2 out.txt | head -1)"
  bad=0 nknown=0
  while read -r verdict path fam _; do
    name=$(basename "$path")
    reason=$(awk -F'\t' -v n="$name" '$1 == n { print $2 }' "$known")
    if [ "$verdict" = FAIL ] && [ -n "$reason" ]; then
      nknown=$((nknown + 1))
      echo "known: $name $fam: $reason"
    else
      bad=1
      echo "NEW: $verdict $name $fam"
    fi
  done < <(grep -E '^(FAIL|ERROR|XPASS) ' out.txt)
  echo "kselftest: $nknown known failures (kselftest-known.tsv)"
  [ $bad -eq 0 ] || fail "a kselftest script failed that kselftest-known.tsv does not list" ;;
*) fail "unknown case $case_name" ;;
esac
echo "PASS: $case_name"
