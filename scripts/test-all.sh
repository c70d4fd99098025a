#!/usr/bin/env bash
# Runs every test tier and prints a summary. Expects the tools (make test-tools) and dist/ (make dist).
#   0. size:    the download of each build against its gzip budget (scripts/bundle-size.mjs), and
#               no private store named in the kiosk's wasm (scripts/kiosk-check.mjs)
#   1. native:  cargo test            (model, io; tests/fuzz.rs only as a 20-input smoke run)
#   2. fuzz:    cargo test --release --test fuzz   (every parser, 2,000 damaged inputs each; about a minute)
#   3. browser: wasm-bindgen-test     (storage, components) in headless Chromium
#   4. e2e:     Playwright            against the built dist/
#   5. bench:   a 100-patient smoke run of the benchmark, so it cannot rot
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
mkdir -p test-results
# Gzip KB a browser downloads to start: the coordinator's app (dist/: its pages, in
# dist/pages-*/, come when they open) and the kiosk (dist/kiosk/).
MAIN_BUDGET_KB=500
KIOSK_BUDGET_KB=200

total_passed=0
total_failed=0
status=0
summary=()

# Sums cargo's "test result:" lines of a log.
cargo_counts() {
  awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed;?$/) p += $i; if ($(i+1) ~ /^failed;?$/) f += $i } }
       END { printf "%d %d\n", p, f }' "$1"
}

tier() {
  local name=$1 passed=$2 failed=$3 rc=$4
  if [[ $rc -ne 0 && $failed -eq 0 ]]; then failed=1; fi # the tier broke before counting
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  [[ $rc -eq 0 && $failed -eq 0 ]] || status=1
  summary+=("$(printf '%-34s %4d passed, %d failed' "$name" "$passed" "$failed")")
}

echo "=== 0/5 size budget and the kiosk check ==="
size_passed=0
size_failed=0
for budget in "dist --budget $MAIN_BUDGET_KB" "dist/kiosk --budget $KIOSK_BUDGET_KB"; do
  # shellcheck disable=SC2086
  if node scripts/bundle-size.mjs $budget; then size_passed=$((size_passed + 1)); else size_failed=$((size_failed + 1)); fi
done
# The kiosk build has no code for a private store (their names are nowhere in its wasm).
if node scripts/kiosk-check.mjs dist; then size_passed=$((size_passed + 1)); else size_failed=$((size_failed + 1)); fi
tier "size budget, kiosk without patient code" "$size_passed" "$size_failed" 0

echo "=== 1/5 native tests (cargo test) ==="
cargo test 2>&1 | tee test-results/native.log
rc=${PIPESTATUS[0]}
read -r p f < <(cargo_counts test-results/native.log)
tier "native (model, io)" "$p" "$f" "$rc"

echo "=== 2/5 fuzz tier (tests/fuzz.rs, release) ==="
cargo test --release --test fuzz -- --nocapture 2>&1 | tee test-results/fuzz.log
rc=${PIPESTATUS[0]}
read -r p f < <(cargo_counts test-results/fuzz.log)
tier "fuzz (parsers)" "$p" "$f" "$rc"

echo "=== 3/5 browser tests (wasm-bindgen-test, headless Chromium) ==="
cargo test --target wasm32-unknown-unknown --test '*' 2>&1 | tee test-results/wasm.log
rc=${PIPESTATUS[0]}
read -r p f < <(cargo_counts test-results/wasm.log)
tier "browser (storage, components)" "$p" "$f" "$rc"

echo "=== 4/5 end-to-end tests (Playwright, dist/) ==="
rm -f test-results/e2e.json
npx playwright test
rc=$?
read -r p f < <(node -e '
  try { const s = require("./test-results/e2e.json").stats; console.log(s.expected + s.flaky, s.unexpected); }
  catch { console.log(0, 0); }')
tier "end-to-end (Playwright)" "$p" "$f" "$rc"

echo "=== 5/5 benchmark smoke run (100 patients) ==="
if [[ -f bench/run.mjs ]]; then
  node bench/run.mjs --smoke
  rc=$?
  tier "benchmark smoke" "$((rc == 0 ? 1 : 0))" "$((rc == 0 ? 0 : 1))" "$rc"
fi

echo
echo "=== summary ==="
printf '%s\n' "${summary[@]}"
echo "${total_passed} passed, ${total_failed} failed"
exit $status
