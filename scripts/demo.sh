#!/usr/bin/env bash
# README: "run on the bundled example". Runs grantscope on the fictional Contoso tenant under
# fixtures/; extra arguments are passed on (e.g. `bash scripts/demo.sh --format json`).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

EXAMPLE=fixtures/tenants/contoso
COMMAND=(inventory "$EXAMPLE")

echo "+ grantscope ${COMMAND[*]} $*" >&2
exec cargo run --release --quiet --package grantscope-cli -- "${COMMAND[@]}" "$@"
