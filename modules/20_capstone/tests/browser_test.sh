#!/usr/bin/env bash
# Browser check of the capstone leaderboard page: headless Chromium loads it, the page sorts a table itself (#selftest).
# Not a unit test of the HTML text (leaderboard_test.cpp): this runs the page's JavaScript in a real browser.
# usage: browser_test.sh <m20_leaderboard executable> <work dir> [screenshot.png]
# Exit 77 (ctest SKIP_RETURN_CODE) when Chromium is not installed.
set -uo pipefail
leaderboard=$1
work=$2
shot=${3:-$work/leaderboard.png}
chromium=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x "$chromium" ]]; then
  echo "SKIPPED: $chromium not found; install it with: TT_BROWSER_TESTS=1 ./scripts/setup"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work/submissions" "$work/site"
"$leaderboard" --demo "$work/submissions" || { echo "FAIL: $leaderboard --demo"; exit 1; }
"$leaderboard" "$work/submissions" --out "$work/site" || { echo "FAIL: $leaderboard could not build the page"; exit 1; }
page="$work/site/index.html"
run_chromium() {
  local profile
  profile=$(mktemp -d)
  timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
    --virtual-time-budget=2000 "$@" 2>"$work/chromium.log"
  local rc=$?
  rm -rf "$profile"
  return $rc
}
run_chromium --dump-dom "file://$page#selftest" >"$work/dom.html"
fail=0
tables=$(grep -o '<table class="lb"' "$work/dom.html" | wc -l)
if [[ "$tables" -ne 4 ]]; then echo "FAIL: expected 4 leaderboard tables in the rendered page, found $tables"; fail=1; fi
if ! grep -q 'data-result="pass"' "$work/dom.html"; then
  echo "FAIL: the page's self-test did not pass; it wrote:"
  grep -o '<pre id="selftest"[^<]*' "$work/dom.html" || echo "(nothing: did the script run?)"
  fail=1
fi
if ! grep -q 'aria-sort="descending"' "$work/dom.html"; then echo "FAIL: no header marked as sorted after the clicks"; fail=1; fi
if ! grep -q '<polyline class="front"' "$work/dom.html"; then echo "FAIL: no Pareto front in the scatter"; fail=1; fi
run_chromium --window-size=1100,1500 --hide-scrollbars --screenshot="$shot" "file://$page" >/dev/null || true
if [[ ! -s "$shot" ]]; then echo "FAIL: no screenshot written to $shot"; fail=1; fi
[[ $fail -eq 0 ]] && echo "PASS: $tables tables rendered, self-test: $(grep -o 'pass: [^<]*' "$work/dom.html" | head -1); screenshot $shot"
exit $fail
