#!/usr/bin/env bash
# Runs every check of the workspace (README: "run all tests"), installing what is missing first.
# Works from any directory, needs no input, and is safe to run again: what is present is not
# reinstalled. Exits non-zero as soon as a check fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

started=$SECONDS

# CI machines can be short of disk: the last CI failure was the linker dying with SIGBUS while
# writing into a full disk. Without debug info and incremental caches the target directory is a
# fraction of the size, and the test results are the same.
if [ "${CI:-}" = "true" ]; then
  export CARGO_INCREMENTAL=0
  export CARGO_PROFILE_DEV_DEBUG=0
  export CARGO_PROFILE_TEST_DEBUG=0
  export CARGO_TERM_PROGRESS_WHEN=never
fi
disk() {
  if [ "${CI:-}" = "true" ]; then
    df -h . | awk 'NR == 2 { print "    disk: " $4 " free of " $2 }'
    du -sh target 2>/dev/null | awk '{ print "    target/: " $1 }' || true
  fi
}
step_started=$SECONDS
step() {
  printf '\n==> %s\n' "$*"
  step_started=$SECONDS
}
done_step() {
  printf '    (%ss)\n' "$((SECONDS - step_started))"
  disk
}
run() {
  printf '+ %s\n' "$*"
  "$@"
}

# --- what the checks need -------------------------------------------------------------------

ensure_wasm_target() {
  step "wasm32-unknown-unknown target"
  if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "already installed"
  else
    run rustup target add wasm32-unknown-unknown
  fi
  done_step
}

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
ensure_wasm_bindgen_cli() {
  local version
  version=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  if [ -z "$version" ]; then
    echo "error: no wasm-bindgen in Cargo.lock" >&2
    exit 1
  fi
  step "wasm-bindgen-cli $version"
  if command -v wasm-bindgen-test-runner >/dev/null 2>&1 &&
    [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $version" ]; then
    echo "already installed"
  else
    # No: the registry mirror can lag a patch version behind the CLI's own lock file.
    run cargo install wasm-bindgen-cli --version "$version"
  fi
  done_step
}

ensure_www_dependencies() {
  if [ -f www/package.json ]; then
    step "www/ dependencies"
    (cd www && run npm ci)
    done_step
  fi
}

# Real consumers the CLI tests read grantscope's output with (tests/cli/consumers.rs): the SARIF
# validator from npm and the JUnit parser from PyPI, both pinned in tests/tools.
ensure_test_tools() {
  step "tests/tools: SARIF validator (npm), JUnit parser (PyPI)"
  run npm ci --prefix tests/tools --no-audit --no-fund
  # npm 11 does not run install scripts: make the validator executable as its postinstall would.
  run chmod u+x "$(cd tests/tools && node -p "require('@microsoft/sarif-multitool')")"
  if [ ! -x tests/tools/.venv/bin/python ]; then
    run python3 -m venv tests/tools/.venv
  fi
  run tests/tools/.venv/bin/pip install --quiet --disable-pip-version-check -r tests/tools/requirements.txt
  done_step
}

# The posture report test prints contoso's report to PDF in headless Chromium and reads it back with
# poppler (pdfinfo, pdftotext, pdftoppm): tests/cli/report.rs. Debian packages (chromium-driver
# too, for browser tests), installed only when a tool is missing.
ensure_report_tools() {
  step "report tools: chromium, chromium-driver, poppler-utils"
  local missing=()
  if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 &&
    ! command -v google-chrome >/dev/null 2>&1; then
    missing+=(chromium)
  fi
  if ! command -v chromedriver >/dev/null 2>&1; then
    missing+=(chromium-driver)
  fi
  for tool in pdfinfo pdftotext pdftoppm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      missing+=(poppler-utils)
      break
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    echo "already installed"
  else
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      sudo=(sudo)
    fi
    run "${sudo[@]}" apt-get update
    run "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
  fi
  done_step
}

# The browser app: wasm-opt (Debian's binaryen) for `cargo xtask web`, Chromium and ChromeDriver for
# the wasm API tests in the browser and the end-to-end tests (playwright-core drives
# /usr/bin/chromium: it cannot download a browser here). Installed only when missing.
ensure_web_tools() {
  step "web tools: binaryen (wasm-opt), chromium, chromium-driver"
  local missing=()
  command -v wasm-opt >/dev/null 2>&1 || missing+=(binaryen)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  if [ ${#missing[@]} -eq 0 ]; then
    echo "already installed"
  else
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
      sudo=(sudo)
    fi
    run "${sudo[@]}" apt-get update
    run "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
  fi
  done_step
}

# --- the checks -----------------------------------------------------------------------------

ensure_wasm_target
ensure_wasm_bindgen_cli
ensure_www_dependencies
ensure_web_tools
ensure_test_tools
ensure_report_tools

step "formatting"
run cargo fmt --all -- --check
done_step

step "clippy"
run cargo clippy --workspace --all-targets -- -D warnings
# The wasm API tests compile only for wasm32: lint them there too.
run cargo clippy --package grantscope-wasm --all-targets --target wasm32-unknown-unknown -- -D warnings
done_step

step "tests"
if cargo nextest --version >/dev/null 2>&1; then
  run cargo nextest run --workspace
  run cargo test --workspace --doc
else
  run cargo test --workspace
fi
# Benchmarks run once each as a test (criterion's test mode), so they cannot rot.
run cargo test --package grantscope-benches --benches
done_step

step "grantscope-core builds for wasm32-unknown-unknown"
run cargo build --package grantscope-core --target wasm32-unknown-unknown
done_step

step "wasm API tests (Node)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  run cargo test --package grantscope-wasm --target wasm32-unknown-unknown --test api
done_step

step "wasm API tests (headless Chromium)"
# webdriver.json (in crates/grantscope-wasm) gives ChromeDriver Chromium's path and flags.
CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  run cargo test --package grantscope-wasm --target wasm32-unknown-unknown --test browser
done_step

step "browser app: cargo xtask web"
run cargo xtask web
done_step

step "browser app: end-to-end tests (headless Chromium)"
run cargo build --package grantscope-cli --package xtask
(cd www && GRANTSCOPE_BIN="$PWD/../target/debug/grantscope" XTASK_BIN="$PWD/../target/debug/xtask" run npm run test:e2e)
done_step

if [ "${CI:-}" = "true" ] || [ "${GRANTSCOPE_FUZZ:-}" = "1" ]; then
  step "fuzzing: every target for ${GRANTSCOPE_FUZZ_SECONDS:-60}s (CI only; GRANTSCOPE_FUZZ=1 locally)"
  run bash scripts/fuzz.sh "${GRANTSCOPE_FUZZ_SECONDS:-60}"
  done_step
fi

printf '\nAll checks passed in %ss.\n' "$((SECONDS - started))"
