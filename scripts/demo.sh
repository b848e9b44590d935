#!/usr/bin/env bash
# README: "run on the bundled example". Runs grantscope on the fictional Contoso tenant under
# fixtures/ (its planted problems make it exit 1, as a CI job would); extra arguments are passed
# on (e.g. `bash scripts/demo.sh --format json` or `--exit-zero`).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

EXAMPLE=fixtures/tenants/contoso
COMMAND=(check "$EXAMPLE")

echo "+ grantscope ${COMMAND[*]} $*" >&2
exec cargo run --release --quiet --package grantscope-cli -- "${COMMAND[@]}" "$@"
