# Shared by the environment tests of the namespace targets (linux_test.sh,
# targets/agent/tests/agent_test.sh): start a run, end it, check that
# nothing of it is left. Source it; it uses $tcpcheck and fail().

# A script for target $3 that holds its connection open for $1 seconds, in $2.
long_script() {
  cat >"$2" <<PKT
// @targets $3
--tolerance_usecs=50000
  0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
 +0 bind(3, ..., ...) = 0
 +0 listen(3, 1) = 0
 +0 < S 0:0(0) win 8192 <mss 1460>
 +0 > S. 0:0(0) ack 1 <...>
 +0 < . 1:1(0) ack 1 win 8192
 +0 accept(3, ..., ...) = 4
+$1 close(4) = 0
 +0 > F. 1:1(0) ack 1 <...>
PKT
}

# The network namespaces process $1 holds (its threads' and its fds').
namespaces_of() {
  { readlink /proc/"$1"/task/*/ns/net; ls -l /proc/"$1"/fd 2>/dev/null | grep -o 'net:\[[0-9]*\]'; } |
    grep -o '[0-9]\+' | sort -u
}

host_ns=$(readlink /proc/self/ns/net | grep -o '[0-9]\+')

# check_cleanup SIGNAL|none SECONDS TARGET [RUN OPTIONS...]: start a run of
# two long scripts at -j 2, wait until its namespaces exist (and, if the
# caller defines cleanup_ready, until that says so), end it with SIGNAL (or
# let it finish), and check that no namespace and no tcpck link is left.
check_cleanup() {
  local sig=$1 secs=$2 target=$3
  shift 3
  long_script "$secs" a.pkt "$target"
  long_script "$secs" b.pkt "$target"
  # (a background job of a script ignores SIGINT unless told otherwise)
  env --default-signal=INT "$tcpcheck" run --target "$target" -j 2 --max-span 0 "$@" \
    a.pkt b.pkt >run.txt 2>&1 &
  local pid=$! ns="" i
  for i in $(seq 1 100); do
    ns=$(namespaces_of "$pid" | grep -vx "$host_ns" | tr '\n' ' ')
    [ "$(echo "$ns" | wc -w)" -ge 2 ] && { ! type cleanup_ready >/dev/null 2>&1 || cleanup_ready; } &&
      break
    sleep 0.05
  done
  [ "$(echo "$ns" | wc -w)" -ge 2 ] || { kill -KILL "$pid"; cat run.txt; fail "no namespaces seen"; }
  if [ "$sig" != none ]; then
    sleep 0.3
    kill -"$sig" "$pid"
  fi
  wait "$pid"
  # What dies with tcpcheck (an agent, by PR_SET_PDEATHSIG) dies
  # asynchronously: give it 2 s.
  local listed
  for i in $(seq 1 40); do
    listed=$(lsns -t net -n -o NS)
    echo "$listed" | grep -qxF -f <(echo "$ns" | tr ' ' '\n' | grep .) || break
    sleep 0.05
  done
  for n in $ns; do
    echo "$listed" | grep -qx "$n" && fail "namespace $n still listed by lsns -t net after $sig"
    ls -l /proc/[0-9]*/ns/net 2>/dev/null | grep -q "net:\[$n\]" && fail "namespace $n still held"
  done
  ip -o link show | grep -q 'tcpck[01]' && fail "a tcpck link is left in the host namespace"
  echo "namespaces $ns gone after $sig"
}
