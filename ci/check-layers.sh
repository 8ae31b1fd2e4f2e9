#!/usr/bin/env bash
# The header side of DESIGN.md §1's layering (the link side is the
# layer_check_* programs): a layer includes only its own headers and those
# of the layers below it, and reference/ stays sans-I/O — no clock reads,
# sockets, threads, randomness or environment. Prints each violation as
# file:line: text and exits 1 if there is any. Run by ctest (label layering).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
status=0

# layer -> project folders its headers may come from
declare -A allowed=(
  [reference]="reference"
  [targets]="targets reference"
  [harness]="harness targets reference"
)

check_includes() {
  local layer=$1 ok=" ${allowed[$1]} " f line dir
  while IFS= read -r f; do
    while IFS= read -r line; do
      dir=$(sed -E 's/^([0-9]+):#include "([a-z_]+)\/.*/\2/' <<<"$line")
      case "$ok" in *" $dir "*) ;; *)
        echo "$f:${line%%:*}: $layer/ may not include from $dir/: ${line#*:}"; status=1 ;;
      esac
    done < <(grep -nE '^#include "[a-z_]+/' "$f")
  done < <(find "$layer" -path "*/tests" -prune -o -name '*.[ch]' -print)
}

for layer in reference targets harness; do
  [ -d "$layer" ] && check_includes "$layer"
done

# reference/ reads no clock, opens no socket, starts no thread, has no
# randomness or environment of its own (DESIGN.md §2).
if grep -nE '\b(clock_gettime|gettimeofday|time\(NULL\)|socket\(|pthread_[a-z_]+|rand\(|random\(|getenv|fopen|printf)\b|#include <(pthread|sys/socket|time|netinet/in|unistd)\.h>' \
     reference/*.c reference/*.h 2>/dev/null | grep -v 'format(printf' | grep -v '^\S*: *\*' ; then
  echo "reference/ must stay sans-I/O (the lines above)"; status=1
fi
exit $status
