#!/usr/bin/env bash
# Run every command on the bundled examples and keep what each prints and writes, so that two versions of
# haizhi can be compared byte for byte (a refactoring should change nothing it does not mean to):
#   scripts/snapshot_outputs.sh OUT [HAIZHI]   then   diff -r OUT-before OUT-after
# HAIZHI defaults to .venv/bin/haizhi. The date of every check and build is fixed, so runs compare.
set -uo pipefail
target=${1:?usage: scripts/snapshot_outputs.sh OUT [HAIZHI]}
haizhi=${2:-.venv/bin/haizhi}
cd "$(dirname "$0")/.."
rm -rf "$target" && mkdir -p "$target"
# Work in a folder whose name is always as long (tables centre the paths they print), then move it.
out=$(mktemp -d)/o && mkdir "$out"
export SOURCE_DATE_EPOCH=1693526400 NO_COLOR=1 COLUMNS=120
asof=(--as-of 2023-09-01)
run() { # run NAME COMMAND...: stdout, stderr and exit status of one command
  local name=$1; shift
  "$@" >"$out/$name.out" 2>"$out/$name.err"; echo $? >"$out/$name.status"
}
for dir in examples/*/; do
  ex=$(basename "$dir")
  for lang in zh en; do
    run "check-$ex-$lang" "$haizhi" check "${asof[@]}" --lang "$lang" "$dir/applicant.yaml"
    run "check-$ex-$lang-json" "$haizhi" check "${asof[@]}" --lang "$lang" --format json "$dir/applicant.yaml"
  done
done
for lang in zh en; do
  for fmt in junit github; do run "batch-$lang-$fmt" "$haizhi" check "${asof[@]}" --lang "$lang" -f "$fmt" examples; done
  run "batch-$lang-xlsx" "$haizhi" check "${asof[@]}" --lang "$lang" -f json examples --summary "$out/summary-$lang.xlsx"
  for ex in work-base offshore-base rd-community fail-work-base-small-area; do
    run "build-$ex-$lang" "$haizhi" build-packet "${asof[@]}" --lang "$lang" "examples/$ex/applicant.yaml" -o "$out/packet-$ex-$lang"
  done
  run "rules-$lang" "$haizhi" rules --lang "$lang"
  run "explain-$lang" "$haizhi" explain --lang "$lang" work_base.service_area
  run "explain-letter-$lang" "$haizhi" explain --lang "$lang" common.support_letter
  run "schema-$lang" "$haizhi" schema --lang "$lang"
  for t in work_base offshore_base rd_community; do run "init-$t-$lang" "$haizhi" init --lang "$lang" --type "$t" -o "$out/init-$t-$lang.yaml"; done
  run "blank-$lang" "$haizhi" build-packet --blank --lang "$lang" -o "$out/blank-$lang"
  run "import-$lang" "$haizhi" import --lang "$lang" "$out/packet-work-base-zh/申报表.docx"
  run "help-$lang" "$haizhi" check --help --lang "$lang"
done
# Where the snapshot lies is not part of what a command did: name it OUT in what they printed.
for f in "$out"/*.out "$out"/*.err; do sed -i "s|$out|OUT|g" "$f"; done
# An .xlsx is a zip: compare what it holds, not its container.
for x in "$out"/summary-*.xlsx; do [ -f "$x" ] && mkdir -p "$x.d" && (cd "$x.d" && unzip -q -o "../$(basename "$x")"); done
cp -r "$out/." "$target/" && rm -rf "$(dirname "$out")"
echo "snapshot in $target"
