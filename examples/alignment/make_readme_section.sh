#!/bin/sh
# Regenerates docs/alignment/README-section.md (the "LSC vs raw rewards" section of README.md) from
# examples/alignment/README-section.in.md and the demo's own docs/alignment/summary.md, so no
# number in it is typed by hand. Run from the repository root after
#   <build>/examples/alignment/lsc_alignment_demo --out docs/alignment
set -eu
template=examples/alignment/README-section.in.md
summary=docs/alignment/summary.md
out=docs/alignment/README-section.md
[ -f "$summary" ] || { echo "$0: $summary not found: run lsc_alignment_demo --out docs/alignment first" >&2; exit 1; }
awk -v summary="$summary" '
  $0 == "@SUMMARY@" { while ((getline line < summary) > 0) print line; next }
  { print }
' "$template" > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
