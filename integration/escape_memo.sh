# Sourced by escape_suite.sh (after escape_spec_reach.sh): the seccomp memo (src/io/seccomp_memo.cpp).
# A create believes a met filter from state_dir/seccomp only when root alone could have written it. The
# attack: state_dir is somewhere another user can write (here: its seccomp directory is uid 1000's), and
# that user puts there, under the exact key of a container and the default profile, the filter met for
# a looser profile (one allowing io_uring_setup). The key, the filter and its checksum are each genuine, taken
# from entries hardened-runtime wrote itself: only the owner of the directory tells the forgery.
# Stock: runc runs the container with the forged filter (what the memo would hand it); hardened: the
# directory is ignored, the meet computed afresh, and io_uring_setup stays denied.
memo_attempt_dir=$IT_DIR/escape-memo-$$
memo_forged_filter() {  # the met filter of Docker's filter and a default profile that allows io_uring_setup, as an entry holds it
  local profiles=$memo_attempt_dir/loose-profiles bundle=$1
  mkdir -p "$profiles"
  jq '.seccomp.syscalls |= map(if .action == "SCMP_ACT_ALLOW" and (.args // []) == [] then .names += ["io_uring_setup"]
                               else .names -= ["io_uring_setup"] end) | .seccomp.syscalls[0].names |= unique' \
    "$(profiles_dir)/default.json" >"$profiles/default.json"
  memo_entry loose "$profiles" "$bundle"
}
memo_entry() {  # NAME PROFILES_DIR BUNDLE: the entry `explain` leaves in a state_dir of its own
  local config state=$memo_attempt_dir/state-$1
  config=$(custom_config "memo-$1" ".state_dir = \"$state\" | .profiles_dir = \"$2\"")
  "$HR_BIN" explain --config "$config" --bundle "$3" >/dev/null 2>&1
  ls "$state"/seccomp/*.meet 2>/dev/null | head -n1
}
memo_part() {  # ENTRY PART (0 header, 1 key, 2 filter+change): the bytes of that part
  local size key_size filter_size change_size
  size=$(head -n1 "$1" | wc -c)
  read -r _ _ _ _ key_size filter_size change_size _ <<<"$(head -n1 "$1")"
  case $2 in
    0) head -n1 "$1" ;;
    1) tail -c +$((size + 1)) "$1" | head -c "$key_size" ;;
    2) tail -c +$((size + key_size + 1)) "$1" | head -c $((filter_size + change_size)) ;;
  esac
}
memo_attempt() {  # stock|hardened
  local id=it-escape-memo-$$ bundle target loose forged_dir=$memo_attempt_dir/state-forged/seccomp config out w1 w2 w3 w4 rest filter_size
  mkdir -p "$memo_attempt_dir"
  bundle=$(make_bundle "$id" default probe io_uring_setup)
  target=$(memo_entry target "$(profiles_dir)" "$bundle") loose=$(memo_forged_filter "$bundle")
  [ -f "$target" ] && [ -f "$loose" ] || { echo "no entries written (not root?)"; return; }
  # The forgery: the loose entry's header with the target key's size, then the target's key, then the
  # loose filter and change (which the checksum in that header covers).
  mkdir -p "$forged_dir"
  read -r w1 w2 w3 w4 _ rest <<<"$(memo_part "$loose" 0)"
  {
    echo "$w1 $w2 $w3 $w4 $(memo_part "$target" 1 | wc -c) $rest"
    memo_part "$target" 1
    memo_part "$loose" 2
  } >"$forged_dir/$(basename "$target")"
  chown -R 1000:1000 "$forged_dir"
  chmod 0700 "$forged_dir"
  if [ "$1" = stock ]; then
    # what runc does with the forged filter: the filter part of the loose entry, without its change
    read -r _ _ _ _ _ filter_size _ <<<"$(memo_part "$loose" 0)"
    jq --argjson f "$(memo_part "$loose" 2 | head -c "$filter_size")" '.linux.seccomp = $f' "$bundle/config.json" >"$bundle/c" &&
      mv "$bundle/c" "$bundle/config.json"
    out=$(output_or_why plain_runc run --bundle "$bundle" "$id")
  else
    config=$(custom_config memo-forged ".state_dir = \"$memo_attempt_dir/state-forged\"")
    out=$(output_or_why "$HR_BIN" --config "$config" --root "$RUNC_ROOT" run --bundle "$bundle" "$id")
  fi
  cleanup_container "$id" >/dev/null 2>&1
  rm -rf "$memo_attempt_dir"
  echo "$out"
}
row "runc_run_forged_seccomp_memo_entry_in_a_state_dir_uid_1000_owns_(io_uring_setup)" "*io_uring_setup allowed*" \
  "$(memo_attempt stock)" "$(memo_attempt hardened)"
