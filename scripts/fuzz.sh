#!/usr/bin/env bash
# Runs every libFuzzer target under fuzz/ (or only the TARGETs named) for SECONDS each (default
# 60), seeded from fixtures/.
#   bash scripts/fuzz.sh [SECONDS [TARGET...]]    (also: cargo xtask fuzz --seconds N [TARGET...])
# First replays every regression input in fuzz/regressions/<target>/ (crashes found earlier, kept
# as fixtures). A crash stops the run with a non-zero exit; libFuzzer writes the input to
# fuzz/artifacts/<target>/ — add it to fuzz/regressions/<target>/ once fixed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# cargo-fuzz needs nightly flags (sanitizers); this is the only toolchain, so allow them.
export RUSTC_BOOTSTRAP=1

seconds="${1:-60}"
shift || true
# Ten targets: at 60 s each, with the build and the regressions, CI's fuzzing stays under 15 minutes.
targets=(graph_json entraexporter audit_csv users_csv zip_archive config_toml waivers lint_graph lint_terraform pipeline)
if [ $# -gt 0 ]; then
  for target in "$@"; do
    if [[ " ${targets[*]} " != *" $target "* ]]; then
      echo "error: no fuzz target \"$target\" (targets: ${targets[*]})" >&2
      exit 2
    fi
  done
  targets=("$@")
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "+ cargo install cargo-fuzz"
  cargo install cargo-fuzz
fi

# Seed corpora from the fixtures (copied, so fuzz/corpus stays out of git).
seed() {
  local target=$1
  shift
  mkdir -p "fuzz/corpus/$target"
  local f
  for f in "$@"; do
    [ -f "$f" ] && cp "$f" "fuzz/corpus/$target/$(echo "$f" | tr '/' '_')"
  done
  return 0
}
# The same, each file behind a first byte that selects what the target parses it as.
seed_as() {
  local target=$1 byte=$2
  shift 2
  mkdir -p "fuzz/corpus/$target"
  local f
  for f in "$@"; do
    [ -f "$f" ] && { printf "\\$byte"; cat "$f"; } >"fuzz/corpus/$target/$byte-$(echo "$f" | tr '/' '_')"
  done
  return 0
}
shopt -s nullglob globstar
seed graph_json fixtures/tenants/contoso/*.json fixtures/graph-doc-samples/*.json fixtures/malformed/json/*.json
seed entraexporter fixtures/tenants/contoso-entraexporter/**/*.json
seed audit_csv fixtures/tenants/contoso-csv/AuditLogs*.csv fixtures/malformed/csv/audit*.csv fixtures/malformed/csv/ragged.csv
seed users_csv fixtures/tenants/contoso-csv/exportUsers*.csv fixtures/malformed/csv/users*.csv
seed zip_archive fixtures/malformed/zip/*.zip
seed config_toml fixtures/**/grantscope.toml
seed_as waivers 000 fixtures/waivers/*.toml fixtures/**/grantscope.toml
seed_as waivers 001 fixtures/waivers/*.json
# lint: byte 0 lints against Contoso's directory, byte 1 alone.
for byte in 000 001; do
  seed_as lint_graph $byte fixtures/lint/v1/*.json fixtures/lint/beta/*.json fixtures/lint/clean/*.json
  seed_as lint_terraform $byte fixtures/lint/terraform/*.json
done
mkdir -p fuzz/corpus/pipeline

echo "+ cargo fuzz build"
(cd fuzz && cargo fuzz build)

status=0
for target in "${targets[@]}"; do
  regressions=(fuzz/regressions/"$target"/*)
  if [ ${#regressions[@]} -gt 0 ]; then
    echo "==> $target: ${#regressions[@]} regression input(s)"
    (cd fuzz && cargo fuzz run "$target" "${regressions[@]/#fuzz\//}" -- -runs=0) || status=1
  fi
  echo "==> $target: fuzzing for ${seconds}s"
  rm -rf "fuzz/artifacts/$target"
  (cd fuzz && cargo fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 2>&1 |
    grep -E '^(Done|#[0-9]+ +DONE|INFO: -max_total_time|==[0-9]+==ERROR|SUMMARY|stat::number_of_executed_units)' || true
  ) 
  if [ -n "$(ls -A "fuzz/artifacts/$target" 2>/dev/null)" ]; then
    echo "error: $target found a crashing input: fuzz/artifacts/$target/" >&2
    status=1
  fi
done
exit $status
