#!/usr/bin/env bash
# Installs what building (and, with "test", testing) CareCoord needs, and only what is missing:
#   build: the wasm32 target, trunk, wasm-bindgen-cli (the Cargo.lock version), wasm-split-cli
#          (splits the app's wasm: scripts/split-build.mjs), npm dev tools
#          (wasm-opt from binaryen@132, Playwright, axe-core, Fuse.js, FlexSearch)
#   test:  also Chromium and ChromeDriver from Debian's packages
# A warm machine skips every step. Usage: scripts/install-tools.sh [build|test]
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-build}"
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

TRUNK_VERSION=0.21.14 # 0.22 needs a newer rustc than this machine's 1.95
WASM_SPLIT_VERSION=0.2.4 # wasm_split_cli_support, the splitter cargo-leptos uses
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)

# cargo install, with --locked first and without it when the registry lacks a locked dependency.
cargo_install() {
  local crate=$1 version=$2
  shift 2
  say "installing $crate $version (takes minutes on two cores; only once per machine)"
  cargo install --locked "$crate" --version "$version" "$@" || {
    say "--locked could not resolve for $crate; installing without it"
    cargo install "$crate" --version "$version" "$@"
  }
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]]; then
  cargo_install trunk "$TRUNK_VERSION"
fi

if [[ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  cargo_install wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
fi

if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:" || ! command -v wasm-split-cli >/dev/null; then
  cargo_install wasm_split_cli_support "$WASM_SPLIT_VERSION" --features build-binary
fi

if [[ ! -x node_modules/.bin/wasm-opt || ! -d node_modules/@playwright/test || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm dev tools"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

if [[ "$what" == test ]]; then
  if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
    say "installing Chromium and ChromeDriver from Debian's packages"
    SUDO=""
    [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium chromium-driver
  fi
fi
say "tools ready: $(trunk --version), $(wasm-bindgen --version), wasm-split-cli $WASM_SPLIT_VERSION, $(wasm-opt --version | head -1)"
