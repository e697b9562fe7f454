#!/usr/bin/env bash
# runc's own integration suite (v1.1.5's bats tests) as a conformance test: the same suite under plain
# runc, under hardened-runtime in audit mode, and under hardened-runtime in enforce mode with the default
# profile, compared test by test.
#   audit:   must be identical to plain runc (audit mode changes nothing);
#   enforce: every test that differs must be a row of docs/runc-conformance.md, with the rule that
#            explains it, and every row must still differ as written there.
# Usage: HR_BUILD=build HR_SOURCE=. integration/runc_suite.sh root|rootless [MODE...]
#   MODE is audit and/or enforce (default: both); plain runc always runs first.
#   RUNC_SUITE_FILES="help.bats exec.bats" runs only those files (for development; the table check is
#   then limited to them).
source "$(dirname "$0")/lib.sh"
require runc jq bats gawk go gcc script xz criu ip setpriv
user=${1:?usage: runc_suite.sh root|rootless [audit] [enforce]}
shift
modes=("${@:-audit}")
[ $# -gt 0 ] || modes=(audit enforce)
suite_lib=$HR_SOURCE/integration/runc_suite
source "$suite_lib/prepare.sh"
source "$suite_lib/run.sh"
source "$suite_lib/compare.sh"

prepare_suite  # sets SUITE_SRC (runc's source tree with helpers built and testdata in place)
results=$SUITE_DIR/results/$user
rm -rf "$results"
mkdir -p "$results"
trap 'suite_cleanup' EXIT

run_suite "$user" plain "$REAL_RUNC" "$results"
status=0
for mode in "${modes[@]}"; do
  run_suite "$user" "$mode" "$(hardened_wrapper "$user" "$mode")" "$results"
  case $mode in
  audit) compare_identical "$results/plain.txt" "$results/audit.txt" || status=1 ;;
  enforce) compare_with_table "$results/plain.txt" "$results/enforce.txt" "$user" \
    "$HR_SOURCE/docs/runc-conformance.md" || status=1 ;;
  *) fail "unknown mode $mode (audit or enforce)" ;;
  esac
done
summary "$results" plain "${modes[@]}"
exit $status
