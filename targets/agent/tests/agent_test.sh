#!/usr/bin/env bash
# Tests of the agent target with real agents (ctest label `agent`):
#   agent_test.sh CASE TCPCHECK LWIP_AGENT WORKDIR
# toy         the Python toy agent (written from docs/agent-protocol.md
#             alone) answers a listen and reports an accepted connection
# exit        an agent that exits at once: the script fails with its exit
#             status and last stderr line, the run goes on
# hang        an agent that never says hello: fails after --agent-timeout,
#             "still running"; nothing of it is left
# garbage     a line that is no message: reported with the line itself
# mute        an agent that stops answering mid-script
# dies        an agent that exits mid-script
# kill        SIGKILL of a run with two agents in flight: no namespace, no
#             link, no agent process left
# normal      a normal end leaves nothing either
# unpriv      without privilege: exit 3, a one-line SKIP reason
# suite-virtual  the whole suite through the lwIP agent on its virtual
#             clock: the same verdict as the in-process lwip target on
#             every script
# suite-real  the same on the real clock, with the Linux target's span
#             limit: the same verdicts except the timing cases listed in
#             docs/findings/agent-lwip-timing.tsv
# Cases that need root exit 77 (skipped) without it.
set -uo pipefail
case_name=$1
tcpcheck=$2
lwip_agent=$3
work=$4/agent-$case_name
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
toy="$here/toy_agent.py"
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1

fail() { echo "FAIL: $*"; exit 1; }

if [ "$case_name" != unpriv ] && ! "$tcpcheck" targets 2>/dev/null | grep -q '^agent  *ready'; then
  "$tcpcheck" targets 2>&1 | grep '^agent' || true
  echo "SKIP: the agent target is not available here"
  exit 77
fi

# A marker unique to this test, in the agents' command lines: the shell
# that runs CMD stays (it has more to do), with the marker in its argv.
marker="tcpck-agent-test-$$"
cmd() { echo "$1; exit \$? # $marker"; }

# Runs tcpcheck on the toy's script twice, with the agent command $1 and
# extra options; the output goes to out.txt.
run_twice() {
  local cmd=$1
  shift
  "$tcpcheck" run --target agent --agent-cmd "$cmd" "$@" \
    "$here/scripts/toy-accept.pkt" "$here/scripts/toy-accept.pkt" >out.txt 2>&1
  local rc=$?
  cat out.txt
  [ $rc -lt 128 ] || fail "tcpcheck died (exit $rc)"
  [ "$(grep -cE '^(PASS|FAIL|ERROR|SKIP) ' out.txt)" -eq 2 ] ||
    fail "expected a verdict for each of the two scripts: the run must go on"
}

expect() {
  grep -qF -- "$1" out.txt || fail "the report should say: $1"
}

nothing_left() {
  pgrep -f "$marker" >/dev/null && fail "an agent process ($marker) is still running"
  ip -o link show | grep -q 'tcpck[01]' && fail "a tcpck link is left in the host namespace"
  return 0
}

. "$top/targets/linux/tests/cleanup_lib.sh"

cleanup_ready() { pgrep -f "$marker" >/dev/null; }

# The whole suite on lwip in-process and through the agent; compare.
suite() {
  local clock=$1
  shift
  "$tcpcheck" run --target lwip --no-timings --ip-version both -f json -o lwip.json \
    "$top/specs" >/dev/null 2>&1
  "$tcpcheck" run --target agent --as-target lwip --no-timings --ip-version both -j 2 \
    --agent-cmd "$lwip_agent --tap {dev} $clock" -f json -o agent.json "$@" "$top/specs" \
    >agent.txt 2>&1
  tail -2 agent.txt
  local tsv="$top/docs/findings/agent-lwip-timing.tsv"
  if [ -n "$clock" ]; then
    python3 "$here/compare.py" lwip.json agent.json "$tsv" --exact
    return
  fi
  python3 "$here/compare.py" lwip.json agent.json "$tsv" --write-different again.txt \
    >compare.txt && { cat compare.txt; return 0; }
  # Real clock: what differed runs once more, alone (-j 1), and counts as a
  # scheduling delay if it then agrees.
  grep -v '^DIFFERENT' compare.txt
  mapfile -t again <again.txt
  "$tcpcheck" run --target agent --as-target lwip --no-timings --ip-version both \
    --agent-cmd "$lwip_agent --tap {dev}" -f json -o again.json "$@" "${again[@]}" >/dev/null 2>&1
  python3 "$here/compare.py" lwip.json agent.json "$tsv" --rerun again.json
}

case $case_name in
toy)
  "$tcpcheck" run --target agent --agent-cmd "$toy --tap {dev}" "$here/scripts" >out.txt 2>&1
  cat out.txt
  grep -q '^2 passed, 0 failed' out.txt || fail "both toy scripts should pass" ;;
exit)
  run_twice "$(cmd "echo 'agent: cannot start: no luck' >&2; (exit 3)")"
  expect "the agent closed its control socket (fd 3); the agent exited with status 3"
  expect "agent: cannot start: no luck"
  nothing_left ;;
hang)
  run_twice "$(cmd "sleep 30.5")" --agent-timeout 0.5
  expect "no hello from the agent in 0.5 s; the agent is still running; it printed nothing"
  nothing_left ;;
garbage)
  run_twice "$(cmd "$toy --tap {dev} --garbage")"
  expect 'protocol error: not JSON, in the line "this is not JSON"'
  expect "toy: about to send garbage"
  nothing_left ;;
mute)
  run_twice "$(cmd "$toy --tap {dev} --mute-after 3")" --agent-timeout 0.5
  expect "the agent stopped answering: no reply to request 4 (listen) in 0.5 s"
  expect "toy: not answering request 4"
  nothing_left ;;
dies)
  run_twice "$(cmd "$toy --tap {dev} --exit-after 2")"
  expect "the agent exited with status 4"
  expect "toy: exiting at request 3"
  grep -q 'toy-accept.pkt:8:.*target agent failed' out.txt ||
    fail "the failure should name the script line (bind, line 8)"
  nothing_left ;;
kill)
  check_cleanup KILL 20 agent --agent-cmd "$(cmd "$lwip_agent --tap {dev}")"
  nothing_left ;;
normal)
  check_cleanup none 1 agent --agent-cmd "$(cmd "$lwip_agent --tap {dev}")"
  nothing_left
  grep -q '^2 passed' run.txt || { cat run.txt; fail "the runs should pass"; } ;;
unpriv)
  cp "$here/scripts/toy-accept.pkt" a.pkt
  chmod 755 "$work" && chmod 644 a.pkt
  setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all \
    "$tcpcheck" run --target agent --agent-cmd "$toy --tap {dev}" a.pkt >out.txt 2>&1
  rc=$?
  cat out.txt
  [ $rc -eq 3 ] || fail "expected exit code 3 without privilege, got $rc"
  [ "$(wc -l <out.txt)" -eq 1 ] || fail "expected one line"
  grep -q 'SKIP.*agent.*CAP_' out.txt || fail "the line should say SKIP and the capability" ;;
suite-virtual) suite --virtual-clock || fail "the agent and the in-process target differ" ;;
suite-real) suite "" || fail "the agent and the in-process target differ" ;;
*) fail "unknown case $case_name" ;;
esac
echo "PASS: $case_name"
