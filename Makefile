# CareCoord. Two commands on a fresh machine (only Rust, Node and npm on it):
#   make run    installs what is missing, builds the release and serves it on http://127.0.0.1:8080
#   make test   installs what the tests need and runs every test tier
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
PORT ?= 8080

.PHONY: run test dist bench-dist tools test-tools bench clean

## Build tools: wasm32 target, trunk, wasm-bindgen-cli, npm dev tools (each only when missing).
tools:
	@scripts/install-tools.sh build

## Also Chromium and ChromeDriver (Debian packages) for the browser tests.
test-tools:
	@scripts/install-tools.sh test

## The release build in dist/ (trunk: the page, styles and icons; scripts/split-build.mjs:
## the app's wasm, split into the first download and the pages fetched on demand) and the
## kiosk's own build in dist/kiosk/, each with its service worker (dist/sw.js,
## dist/kiosk/sw.js), then their sizes against the budget.
dist: tools
	trunk build --release
	node scripts/split-build.mjs dist
	trunk build kiosk/index.html --release --dist dist/kiosk --public-url /kiosk/
	node scripts/csp.mjs dist
	node scripts/csp.mjs dist/kiosk
	node scripts/sw.mjs dist/kiosk --prefix carecoord-kiosk
	node scripts/sw.mjs dist
	@node scripts/bundle-size.mjs dist
	@node scripts/bundle-size.mjs dist/pages-*

## Build and serve on http://127.0.0.1:$(PORT).
run: dist
	node scripts/serve.mjs dist $(PORT)

## The release with the benchmark hooks (feature "bench") and the plain-JS floor page.
bench-dist: tools
	trunk build --release --dist target/bench-dist
	node scripts/split-build.mjs target/bench-dist bench
	node scripts/csp.mjs target/bench-dist
	cp bench/floor.html target/bench-dist/bench-floor.html
	node scripts/sw.mjs target/bench-dist

## Every test tier, with a summary.
test: test-tools dist bench-dist
	@scripts/test-all.sh

## Benchmarks at clinic scale (prints FIGURE lines, writes bench/results.json).
bench: test-tools dist bench-dist
	node bench/run.mjs

clean:
	rm -rf dist target test-results
