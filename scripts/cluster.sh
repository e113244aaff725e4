#!/usr/bin/env bash
# Shop's production topology on this machine, from local binaries instead of containers:
# PostgreSQL and Redis (Debian's packages, installed when missing), two silos and the API on
# http://localhost:5080 in front of them, all on 127.0.0.1. The services and their configuration are
# those of docker-compose.yml (tests/Shop.Tests checks they agree), except that this is a local
# cluster: development tokens are on, and each silo gets its own ports.
#
#   scripts/cluster.sh up        build, start PostgreSQL, Redis, the silos and the API
#   scripts/cluster.sh down      stop everything (data is kept)
#   scripts/cluster.sh status    what runs, and whether the API is ready
#   scripts/cluster.sh restart   stop and start every silo and the API; PostgreSQL and Redis keep running
#   scripts/cluster.sh purge     down, and delete the data
#
# State, logs and data live in $SHOP_CLUSTER_DIR (default .cluster/ in the repository).
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/servers.sh

STATE=${SHOP_CLUSTER_DIR:-$PWD/.cluster}
PG_PORT=${SHOP_PG_PORT:-15432}
REDIS_PORT=${SHOP_REDIS_PORT:-16379}
API_URL=${SHOP_API_URL:-http://localhost:5080}
CONFIGURATION=Release

# The same keys as docker-compose.yml's x-shop block.
SHOP_ENV=(
  Shop__Storage=Postgres
  Shop__Clustering=Redis
  Shop__ClusterId=shop
  Shop__ServiceId=shop
  "ConnectionStrings__Postgres=Host=127.0.0.1;Port=$PG_PORT;Username=shop;Database=shop;Maximum Pool Size=100"
  "ConnectionStrings__Redis=127.0.0.1:$REDIS_PORT"
  Logging__Console__FormatterName=json
  Logging__Console__FormatterOptions__IncludeScopes=true
  "OTEL_EXPORTER_OTLP_ENDPOINT=${SHOP_OTLP_ENDPOINT:-}"
)

# silo1 and silo2 as in docker-compose.yml; on one machine they need ports of their own.
# Each silo's HTTP port serves /metrics, /health/* and the Orleans Dashboard (/dashboard, Basic
# authentication; a local cluster has a default password, compose has none unless one is set).
SILO1_HTTP=${SHOP_SILO1_HTTP_PORT:-8081}
SILO2_HTTP=${SHOP_SILO2_HTTP_PORT:-8082}
DASHBOARD_USER=${SHOP_DASHBOARD_USERNAME:-operator}
DASHBOARD_PASSWORD=${SHOP_DASHBOARD_PASSWORD:-shop-local}
SILO1_ENV=(Shop__SiloPort=11111 Shop__GatewayPort=30000 Shop__AdvertisedIP=127.0.0.1 Shop__HttpPort=$SILO1_HTTP
  "Shop__Dashboard__Username=$DASHBOARD_USER" "Shop__Dashboard__Password=$DASHBOARD_PASSWORD")
SILO2_ENV=(Shop__SiloPort=11112 Shop__GatewayPort=30001 Shop__AdvertisedIP=127.0.0.1 Shop__HttpPort=$SILO2_HTTP
  "Shop__Dashboard__Username=$DASHBOARD_USER" "Shop__Dashboard__Password=$DASHBOARD_PASSWORD")

# The api service; a local cluster issues development tokens (compose uses an identity provider).
API_ENV=(
  Shop__Hosting=Client
  "ASPNETCORE_URLS=$API_URL"
  Shop__Auth__DevelopmentTokens__Enabled=true
  Shop__Auth__Audience=shop-api
)

log() { printf '%s\n' "$*"; }

running() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }

start_postgres() {
  mkdir -p "$STATE"
  if [ ! -f "$STATE/postgres/PG_VERSION" ]; then
    mkdir -p "$STATE/postgres"
    [ "$(id -u)" -eq 0 ] && chown postgres "$STATE/postgres"
    pg initdb -D "$STATE/postgres" -U shop -A trust -E UTF8 >"$STATE/postgres-init.log" || { log "initdb failed: $STATE/postgres-init.log"; return 1; }
  fi
  if pg pg_ctl -D "$STATE/postgres" status >/dev/null 2>&1; then
    log "postgres: running on 127.0.0.1:$PG_PORT"
  else
    pg pg_ctl -D "$STATE/postgres" -l "$STATE/postgres/server.log" -w -t 60 \
      -o "-p $PG_PORT -k $STATE/postgres -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null \
      || { log "postgres failed to start: $STATE/postgres/server.log"; return 1; }
    log "postgres: started on 127.0.0.1:$PG_PORT"
  fi
  pg psql -h 127.0.0.1 -p "$PG_PORT" -U shop -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'shop'" | grep -q 1 \
    || pg createdb -h 127.0.0.1 -p "$PG_PORT" -U shop shop
}

start_redis() {
  if running redis; then
    log "redis: running on 127.0.0.1:$REDIS_PORT"
    return
  fi
  mkdir -p "$STATE/redis"
  # Append-only, as in docker-compose.yml: Redis must come back with its membership data.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$STATE/redis" --appendonly yes --appendfsync everysec \
    --save "" --daemonize yes --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  log "redis: started on 127.0.0.1:$REDIS_PORT"
}

# start NAME PROJECT ASSEMBLY ENV...
start() {
  local name=$1 project=$2 assembly=$3
  shift 3
  if running "$name"; then
    log "$name: running (pid $(cat "$STATE/$name.pid"))"
    return
  fi
  # exec: the background process is the program itself (its pid is the one recorded); setsid: it
  # outlives this terminal.
  (
    cd "src/$project/bin/$CONFIGURATION/net10.0" || exit 1
    exec setsid env "${SHOP_ENV[@]}" "$@" DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production \
      dotnet "$assembly.dll" >"$STATE/$name.log" 2>&1 </dev/null
  ) &
  echo $! >"$STATE/$name.pid"
  log "$name: started (pid $(cat "$STATE/$name.pid"), log $STATE/$name.log)"
}

stop() {
  local name=$1
  running "$name" || { rm -f "$STATE/$name.pid"; return; }
  local pid
  pid=$(cat "$STATE/$name.pid")
  kill -TERM "$pid"
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$STATE/$name.pid"
  log "$name: stopped"
}

wait_ready() {
  for _ in $(seq 180); do
    if curl -fsS "$API_URL/health/ready" >/dev/null 2>&1; then
      log "ready: $API_URL (development tokens: POST $API_URL/api/auth/token)"
      return 0
    fi
    sleep 0.5
  done
  log "the API did not become ready; see $STATE/*.log"
  return 1
}

start_shop() {
  start silo1 Silo Shop.Silo "${SILO1_ENV[@]}"
  start silo2 Silo Shop.Silo "${SILO2_ENV[@]}"
  start api Api Shop.Api "${API_ENV[@]}"
  wait_ready
}

stop_shop() {
  stop api
  stop silo2
  stop silo1
}

case "${1:-}" in
  up)
    ensure_servers || exit 1
    timeout -k 30 900 dotnet build Shop.sln -c "$CONFIGURATION" -nologo -v quiet || exit 1
    start_postgres || exit 1
    start_redis
    start_shop
    ;;
  down)
    stop_shop
    if [ -d "$STATE/postgres" ] && pg pg_ctl -D "$STATE/postgres" status >/dev/null 2>&1; then
      pg pg_ctl -D "$STATE/postgres" -m fast -w stop >/dev/null && log "postgres: stopped"
    fi
    if running redis; then
      redis-cli -p "$REDIS_PORT" shutdown >/dev/null 2>&1; rm -f "$STATE/redis.pid"; log "redis: stopped"
    fi
    ;;
  restart)
    stop_shop
    start_shop
    ;;
  status)
    for name in redis silo1 silo2 api; do
      if running "$name"; then log "$name: running (pid $(cat "$STATE/$name.pid"))"; else log "$name: stopped"; fi
    done
    if [ -d "$STATE/postgres" ] && pg pg_ctl -D "$STATE/postgres" status >/dev/null 2>&1; then log "postgres: running"; else log "postgres: stopped"; fi
    for silo in "silo1 $SILO1_HTTP" "silo2 $SILO2_HTTP"; do
      read -r name port <<<"$silo"
      if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
        log "$name: ready (http://127.0.0.1:$port/metrics, http://127.0.0.1:$port/dashboard/)"
      else
        log "$name: not ready"
      fi
    done
    if curl -fsS "$API_URL/health/ready" >/dev/null 2>&1; then log "api: ready"; else log "api: not ready"; fi
    ;;
  purge)
    "$0" down
    rm -rf "$STATE"
    log "purged $STATE"
    ;;
  *)
    sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
