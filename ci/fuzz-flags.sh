# Sourced by ci/fuzz.sh and bench/fuzz_ref.sh (from the repository's top).
# fuzz_flags NAME: sets the array FUZZ_FLAGS to the libFuzzer flags of
# fuzz/fuzz_NAME.options (max_len, dict), or -dict=fuzz/NAME.dict when
# there is no .options file but a dictionary.
fuzz_flags() {
  local t=$1 k v
  FUZZ_FLAGS=()
  if [ -f "fuzz/fuzz_$t.options" ]; then
    while IFS='=' read -r k v; do
      k=$(echo "$k" | tr -d ' '); v=$(echo "$v" | tr -d ' ')
      case "$k" in
        max_len) FUZZ_FLAGS+=(-max_len="$v") ;;
        dict) FUZZ_FLAGS+=(-dict="fuzz/$v") ;;
      esac
    done < <(grep '=' "fuzz/fuzz_$t.options")
  elif [ -f "fuzz/$t.dict" ]; then
    FUZZ_FLAGS+=(-dict="fuzz/$t.dict")
  fi
}
