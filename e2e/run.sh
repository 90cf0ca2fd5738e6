#!/usr/bin/env bash
# The end-to-end suite: the binary's `demo` (its own private PostgreSQL) in
# headless Chromium from Debian's packages, driven by playwright-core, checked with
# axe-core at a phone and a desktop viewport. Screenshots go to docs/screenshots/.
# Without Chromium it installs it (as root) or fails: it never passes without a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}

need_apt=()
[ -x "$chromium" ] || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v node >/dev/null || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "e2e: installing ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  fi
fi
if [ ! -x "$chromium" ]; then
  echo "e2e: FAILED: Chromium is not installed at $chromium and could not be installed" \
       "(apt-get install chromium chromium-driver); the browser suite cannot run." >&2
  exit 1
fi
"$chromium" --version

# The debug binary that `cargo test` has just built (no second, release build in CI);
# LAMTHEOBAC_BIN picks another one.
if [ -z "${LAMTHEOBAC_BIN:-}" ]; then
  cargo build --quiet
  export LAMTHEOBAC_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/lamtheobac"
fi
(cd e2e && npm ci --no-audit --no-fund --loglevel=error)
cd e2e
exec node --test --test-reporter=spec --test-concurrency=2 "$@"
