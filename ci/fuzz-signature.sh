# Shared by ci/fuzz.sh and the known-finding replays (fuzz/known/replay.sh):
# the signature of a fuzzing finding from its log, the stack it belongs to,
# and whether fuzz/known/<stack>.tsv lists it. Sourced, not run.

# The signature: our invariant text, an lwIP assertion, a differ violation,
# an abort message, or the sanitizer report kind, plus the top three frames
# of ours ("KIND | F1 F2 F3"). An lwIP assertion is named by its message
# and file, not line (compilers number a macro spanning lines differently).
# For UBSan, whose reports carry no frames
# unless asked, the numbers in the message become N and the frames part is
# the source line of the SUMMARY ("src/core/tcp_in.c:1984").
signature() {
  local logf=$1 kind frames
  # (not the one-line notes of known findings a run passed over)
  kind=$(grep -v 'known finding ' "$logf" | grep -m1 -oE 'invariant violated: [a-z0-9-]+|lwIP assertion "[^"]*" failed at [^ :]+|differ violation: [^ ]+ [^ ]+|ERROR: AddressSanitizer: [a-zA-Z-]+|runtime error: [^:]*|Assertion `[^'"'"']*'"'"' failed|ERROR: libFuzzer: [a-z-]+' || true)
  if [[ $kind == "runtime error: "* ]]; then
    kind=$(sed -E 's/[0-9]+/N/g' <<<"$kind")
    frames=$(grep -m1 -oE 'SUMMARY: UndefinedBehaviorSanitizer: [a-z-]+ [^ ]+' "$logf" |
             sed -E 's/.* //; s/:[0-9]+$//; s#.*/(src/[^/]+/)#\1#' || true)
  else
    frames=$(grep -E '^ +#[0-9]+ 0x[0-9a-f]+ in ' "$logf" |
             grep -vE ' in (__|abort|raise|fuzzer::|LLVMFuzzerTestOneInput|main|_start|gsignal|fzl_finding)' |
             head -3 | sed -E 's/.* in ([^ ]+).*/\1/' | paste -sd' ' || true)
  fi
  printf '%s | %s' "${kind:-unknown}" "$frames"
}

# The stack a finding belongs to: lwIP's assertion and the differ against
# lwIP name it; else the first source folder in the report.
stack_of() {
  local logf=$1 path
  if grep -qE 'lwIP assertion "|differ violation: ' "$logf"; then echo lwip; return; fi
  path=$(grep -m1 -oE '/(targets|third_party)/[a-z0-9_]+' "$logf" || true)
  case "$path" in
    /targets/ref|'') echo ref ;;
    */lwip) echo lwip ;;
    *) basename "$path" ;;
  esac
}

# Is SIGNATURE listed for STACK? The whole line, or its kind alone (the
# findings recognised in-process are listed by kind).
known() {
  local stack=$1 sig=$2 file=fuzz/known/$1.tsv
  [ "$stack" != ref ] && [ -f "$file" ] || return 1
  grep -v '^#' "$file" | cut -f1 | grep -qxF -e "$sig" -e "${sig%% | *}"
}

# The id a known signature has in docs/findings/<stack>.md.
known_id() {
  local stack=$1 sig=$2
  grep -v '^#' "fuzz/known/$stack.tsv" | awk -F'\t' -v a="$sig" -v b="${sig%% | *}" '$1 == a || $1 == b { print $2; exit }'
}
