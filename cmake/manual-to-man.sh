#!/bin/sh
# Turns `hardened-runtime manual` (plain text on stdin) into the man page hardened-runtime(8) on stdout:
# a line in capitals is a section heading, a line starting with "usage:" a subsection, the rest is
# kept as it is (no filling), with the characters roff would read as requests escaped.
# usage: manual-to-man.sh VERSION < manual.txt > hardened-runtime.8
set -eu
version=$1
printf '.TH HARDENED-RUNTIME 8 "" "hardened-runtime %s" "System Administration"\n' "$version"
sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/" |
  awk '
    /^[A-Z][A-Z ]*$/ { if (open) print ".fi"; print ".SH " $0; print ".nf"; open = 1; next }
    /^usage:/ { if (open) print ".fi"; sub(/^usage: /, ""); print ".SS " $0; print ".nf"; open = 1; next }
    /^$/ { print ".sp"; next }
    { print }
    END { if (open) print ".fi" }'
