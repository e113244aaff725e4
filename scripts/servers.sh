# Shared by scripts/test.sh and scripts/cluster.sh (sourced, not run): finding and installing
# Debian's PostgreSQL and Redis, and running PostgreSQL's tools as the postgres account when root.

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/pg_ctl" ]; then
    echo "$dir"
  elif command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
  fi
}

# Installs postgresql and redis-server with apt-get when they are missing (as root only).
ensure_servers() {
  local missing=()
  [ -n "$(pg_bin)" ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing ${missing[*]}: install them (sudo apt-get install ${missing[*]}) or run this as root" >&2
    return 1
  fi
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout -k 10 600 apt-get install -y --no-install-recommends "${missing[@]}" \
    || { timeout -k 10 600 apt-get update && timeout -k 10 600 apt-get install -y --no-install-recommends "${missing[@]}"; }
}

# pg TOOL ARGS...: runs a PostgreSQL program, as the postgres account when root (PostgreSQL refuses root).
pg() {
  local tool="$1"
  shift
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$(pg_bin)/$tool" "$@"
  else
    "$(pg_bin)/$tool" "$@"
  fi
}
