#!/bin/sh
# Regenerates the "LSC vs raw rewards" section of README.md (between the two
# "<!-- alignment section" markers) from examples/alignment/README-section.in.md and the demo's
# own docs/alignment/summary.md, so no number in it is typed by hand. Run from the repository
# root after `lsc_alignment_demo --out docs/alignment` (scripts/demo does both).
#   --check: exit 1 if README.md is not what the template and summary.md give.
set -eu
template=examples/alignment/README-section.in.md
summary=docs/alignment/summary.md
readme=README.md
[ -f "$summary" ] || { echo "$0: $summary not found: run lsc_alignment_demo --out docs/alignment first" >&2; exit 1; }
grep -q '^<!-- alignment section: begin' "$readme" || { echo "$0: no '<!-- alignment section: begin' marker in $readme" >&2; exit 1; }
awk -v summary="$summary" -v template="$template" '
  /^<!-- alignment section: begin/ {
    print
    while ((getline t < template) > 0) {
      if (t == "@SUMMARY@") { while ((getline s < summary) > 0) print s }
      else print t
    }
    skipping = 1
    next
  }
  /^<!-- alignment section: end/ { skipping = 0 }
  !skipping { print }
' "$readme" > "$readme.tmp"
if [ "${1:-}" = "--check" ]; then
  if cmp -s "$readme" "$readme.tmp"; then rm -f "$readme.tmp"; echo "README.md alignment section is up to date"; exit 0; fi
  rm -f "$readme.tmp"; echo "$0: README.md's alignment section differs from the demo's output: rerun scripts/demo --out docs/alignment" >&2; exit 1
fi
mv "$readme.tmp" "$readme"
echo "updated the alignment section of $readme"
