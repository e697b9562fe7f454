# Sourced by escape_suite.sh (after escape_wx.sh): what runc reads that a rule looking a field up by its
# name would not see, and argv runc reads otherwise than a quick look would, as rows of its one table.
#   Keys: Go's encoding/json matches keys without regard to case and reads 'ſ' as 's', the last key
#   winning, so {"process": ..., "proceſs": {uid 0}} runs as uid 0 under runc, and so does {"Process"}.
#   --help=false: urfave/cli reads it as no help, and runc creates.
#   run.oci.*: crun's annotations (runc ignores them: its cell shows the process ran).
# Each cell is what the process printed, or why it did not run.
output_or_why() {  # COMMAND...
  local out
  if out=$("$@" 2>&1 </dev/null); then echo "$out"; else
    out=${out#*msg=\"}
    echo "$(grep -o 'refused by rule [a-z_.]*\|which runc reads as [^:]*' <<<"$out" | head -n1 || echo "failed: ${out:0:90}")"
  fi
}
spelled_attempt() {  # create|exec JQ-FILTER RUNTIME-COMMAND... [-- RUN-FLAGS...]: the filter edits the spec, or the exec's process
  local at=$1 filter=$2 id=it-escape-spelling-$$ bundle
  shift 2
  if [ "$at" = exec ]; then
    bundle=$(make_bundle "$id" default sleep 30)
    "$@" run -d --bundle "$bundle" "$id" >/dev/null 2>&1 </dev/null || { echo "not started"; return; }
    jq "$filter" "$bundle/config.json" >"$bundle/exec.json"
    output_or_why "$@" exec --process "$bundle/exec.json" "$id"
  else
    bundle=$(make_bundle "$id" default id -u)
    jq "$filter" "$bundle/config.json" >"$bundle/c" && mv "$bundle/c" "$bundle/config.json"
    output_or_why "$@" run --bundle "$bundle" "$id"
  fi
  cleanup_container "$id" >/dev/null 2>&1
}
as_root='{"uid": 0, "gid": 0}'
spelling_row() {  # PROBE ALLOWED-WHEN create|exec JQ-FILTER
  local s h
  s=$(spelled_attempt "$3" "$4" plain_runc) h=$(spelled_attempt "$3" "$4" hr)
  row "$1" "$2" "$s" "$h"
}
spelling_row 'runc_run_spec_key_proce\u017fs_(uid_0)' 0 create ". + {\"proce\\u017fs\": (.process + {user: $as_root})}"
# Alone, the key is the field: renamed, and judged as it (runc's own tests write update payloads so).
spelling_row "runc_run_spec_key_Process_alone_(uid_0)" 0 create ". + {\"Process\": (.process + {user: $as_root})} | del(.process)"
spelling_row "runc_run_spec_key_process.nonewprivileges=false" "*:*0" create \
  '.process.args = ["sh", "-c", "grep ^NoNewPrivs /proc/self/status"] | .process.noNewPrivileges = true | .process.nonewprivileges = false'
spelling_row 'runc_exec_--process_key_u\u017fer_(uid_0)' 0 exec ".process + {\"u\\u017fer\": $as_root} | .args = [\"id\", \"-u\"]"
spelling_row "runc_run_annotation_run.oci.seccomp_bpf_data_(crun's_allow-all_filter)" "[0-9]*" create \
  '.annotations["run.oci.seccomp_bpf_data"] = "BgAAAAAA/38="'
# --help=false before the bundle: runc creates; the process is hardened or refused, never let through.
help_off() { local id=it-escape-help-$$ bundle; bundle=$(make_bundle "$id" default id -u); output_or_why "$@" run --help=false --bundle "$bundle" "$id"; cleanup_container "$id" >/dev/null 2>&1; }
row "runc_run_--help=false_(uid_0)" "0" "$(help_off plain_runc)" "$(help_off hr)"
help_last() { local id=it-escape-help-$$ bundle; bundle=$(make_bundle "$id" default id -u); output_or_why "$@" run --help --help=false --bundle "$bundle" "$id"; cleanup_container "$id" >/dev/null 2>&1; }
row "runc_run_--help_--help=false_(uid_0;_the_last_wins)" "0" "$(help_last plain_runc)" "$(help_last hr)"
