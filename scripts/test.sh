#!/usr/bin/env bash
# Shop's test command: one solution build, then every test, each step bounded in time.
#
# The integration tests run against a real PostgreSQL and a real Redis: Debian's postgresql and
# redis-server (installed here when missing, as root with apt-get). The tests start throwaway servers
# from those binaries on 127.0.0.1 and free ports, with their data in a temporary directory that this
# script creates and removes, stopping anything still running in it at the end.
#
# Ends with one line "N passed, N failed", counted from the test results (TRX), so a run that
# executed no test at all is visible.
set -uo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

source scripts/servers.sh

results=$(mktemp -d "${TMPDIR:-/tmp}/shop-test-results.XXXXXX")
export SHOP_TEST_TMP
SHOP_TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/shop-test-servers.XXXXXX")
chmod 755 "$SHOP_TEST_TMP"   # PostgreSQL runs as the postgres account when this runs as root

cleanup() {
  # Servers a crashed or timed-out test left behind: stop them, then remove their data.
  for data in "$SHOP_TEST_TMP"/pg-*/data; do
    [ -f "$data/postmaster.pid" ] && pg pg_ctl -D "$data" -m immediate stop >/dev/null 2>&1
  done
  # Everything else the tests started (redis-server, silos, APIs) inherited SHOP_TEST_TMP.
  local pid
  for pid in $(grep -lsz "^SHOP_TEST_TMP=$SHOP_TEST_TMP\$" /proc/[0-9]*/environ | cut -d/ -f3); do
    [ "$pid" != "$$" ] && kill -9 "$pid" >/dev/null 2>&1
  done
  rm -rf "$results" "$SHOP_TEST_TMP"
}
trap cleanup EXIT

step "PostgreSQL and Redis"
if ! ensure_servers; then
  echo "0 passed, 1 failed"
  exit 1
fi
export SHOP_PG_BIN
SHOP_PG_BIN=$(pg_bin)
echo "postgresql: $SHOP_PG_BIN; redis-server: $(command -v redis-server)"

step "build"
if ! timeout -k 30 900 dotnet build Shop.sln -c Release -nologo -v minimal; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

step "tests"
# A test cluster shutting down with transactions in flight can hang: the whole run is bounded.
timeout -k 60 3600 dotnet test Shop.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results"
status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "the test run ended with status $status (timed out or crashed)"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
