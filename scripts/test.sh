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

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir" && return
  command -v pg_ctl >/dev/null 2>&1 && dirname "$(command -v pg_ctl)"
}

ensure_servers() {
  local missing=()
  [ -n "$(pg_bin)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing ${missing[*]}: install them (sudo apt-get install ${missing[*]}) or run this script as root"
    return 1
  fi
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout -k 10 600 apt-get install -y --no-install-recommends "${missing[@]}" \
    || { timeout -k 10 600 apt-get update && timeout -k 10 600 apt-get install -y --no-install-recommends "${missing[@]}"; }
}

results=$(mktemp -d "${TMPDIR:-/tmp}/shop-test-results.XXXXXX")
export SHOP_TEST_TMP
SHOP_TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/shop-test-servers.XXXXXX")
chmod 755 "$SHOP_TEST_TMP"   # PostgreSQL runs as the postgres account when this runs as root

cleanup() {
  # Servers a crashed or timed-out test left behind: stop them, then remove their data.
  local pgbin
  pgbin=$(pg_bin)
  for data in "$SHOP_TEST_TMP"/pg-*/data; do
    [ -f "$data/postmaster.pid" ] || continue
    if [ "$(id -u)" -eq 0 ]; then
      runuser -u postgres -- "$pgbin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1
    else
      "$pgbin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1
    fi
  done
  pkill -f "redis-server.*--dir $SHOP_TEST_TMP" >/dev/null 2>&1
  pkill -f "Shop.Silo.dll|Shop.Api.dll" >/dev/null 2>&1
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
