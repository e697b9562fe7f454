# Per-test comparison of two passes of runc's suite (result files of run.sh). Sourced by
# integration/runc_suite.sh.

# "file<TAB>test<TAB>first<TAB>second" for every test whose results differ (absent: "missing").
differences() {  # FIRST SECOND
  gawk -F'\t' '
    NR == FNR { a[$1 "\t" $2] = $3; keys[$1 "\t" $2]; next }
    { b[$1 "\t" $2] = $3; keys[$1 "\t" $2] }
    END {
      for (k in keys) {
        x = (k in a) ? a[k] : "missing"; y = (k in b) ? b[k] : "missing"
        if (x != y) print k "\t" x "\t" y
      }
    }' "$1" "$2" | sort
}

compare_identical() {  # PLAIN AUDIT
  local diff
  diff=$(differences "$1" "$2")
  if [ -n "$diff" ]; then
    echo "FAIL: audit mode differs from plain runc in $(wc -l <<<"$diff") tests (file, test, plain, audit):" >&2
    sed 's/^/  /' <<<"$diff" >&2
    return 1
  fi
  echo "ok: audit mode is identical to plain runc in all $(wc -l <"$1") tests"
}

# The table of docs/runc-conformance.md for USER: the rows between "<!-- enforce-table USER -->" and
# "<!-- end enforce-table -->", as "file<TAB>test<TAB>plain<TAB>enforce<TAB>rule".
table_rows() {  # DOC USER
  gawk -v user="$2" '
    $0 == "<!-- enforce-table " user " -->" { inside = 1; next }
    inside && /^<!-- end enforce-table -->/ { inside = 0 }
    inside && /^\| *[^ |-][^|]*\.bats *\|/ {
      n = split($0, f, "|")
      for (i = 2; i < n; i++) { gsub(/^ +| +$/, "", f[i]); gsub(/`/, "", f[i]) }
      print f[2] "\t" f[3] "\t" f[4] "\t" f[5] "\t" f[6]
    }' "$1"
}

# Every enforce difference must be a row of the table, with the same results, and every row of a file
# that ran must still be a difference: the table stays the true explanation.
compare_with_table() {  # PLAIN ENFORCE USER DOC
  local diff rows ran unexplained stale
  diff=$(differences "$1" "$2")
  rows=$(table_rows "$4" "$3")
  ran=$(cut -f1 "$1" | sort -u)
  echo "enforce mode ($3) differs from plain runc in $(grep -c . <<<"$diff") tests; the rule of each (docs/runc-conformance.md):"
  gawk -F'\t' 'NR == FNR { rule[$1 "\t" $2 "\t" $3 "\t" $4] = $5; next }
    { k = $1 "\t" $2 "\t" $3 "\t" $4; printf "  %s: %s (plain %s, enforce %s)\n      %s\n", $1, $2, $3, $4,
      (k in rule) ? rule[k] : "UNEXPLAINED" }' <(echo "$rows") <(echo "$diff")
  unexplained=$(comm -23 <(echo "$diff" | sort) <(cut -f1-4 <<<"$rows" | sort) | grep . || true)
  stale=$(comm -13 <(echo "$diff" | sort) <(cut -f1-4 <<<"$rows" | sort) | grep -F -f <(sed 's/$/\t/' <<<"$ran") | grep . || true)
  if [ -n "$unexplained" ]; then
    echo "FAIL: enforce differences that no row of $4 explains (file, test, plain, enforce):" >&2
    sed 's/^/  /' <<<"$unexplained" >&2
  fi
  if [ -n "$stale" ]; then
    echo "FAIL: rows of $4 that this run does not bear out (file, test, plain, enforce):" >&2
    sed 's/^/  /' <<<"$stale" >&2
  fi
  [ -z "$unexplained" ] && [ -z "$stale" ]
}

summary() {  # RESULTS MODE...
  local results=$1 mode
  shift
  for mode in "$@"; do echo "$mode: $(counts "$results/$mode.txt")"; done
}
