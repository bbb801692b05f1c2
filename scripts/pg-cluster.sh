#!/usr/bin/env bash
# A private PostgreSQL for the tests: never a system service.
#   scripts/pg-cluster.sh start   -> initdb (once) and start on a free port of 127.0.0.1
#   scripts/pg-cluster.sh stop    -> stop it (nothing when it is not running)
#   scripts/pg-cluster.sh url     -> the URL of the running cluster's `postgres` database
#   scripts/pg-cluster.sh run CMD -> start, run CMD with SYNC_ERRORS_TEST_PG set, always stop
# PG_OPTIONS adds server settings at start (e.g. "-c shared_buffers=2GB", as the bench does).
# As root, initdb and pg_ctl run as the `postgres` user (they refuse root); the data lives
# in target/pg/ (PG_DIR to change), trust authentication on 127.0.0.1 and the socket only.
# Debian's `postgresql` is installed when its binaries are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=${PG_DIR:-$PWD/target/pg}
# The cluster runs as `postgres`, which must be able to enter every directory above its
# data. A checkout under a directory it cannot enter (mode 700, as a home directory often
# is) keeps its cluster in /tmp instead, and $DIR/elsewhere says where.
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$DIR"
  if [ -f "$DIR/elsewhere" ]; then
    DIR=$(cat "$DIR/elsewhere")
  elif ! su postgres -s /bin/sh -c "cd '$DIR'" 2>/dev/null; then
    other=$(mktemp -d /tmp/sync-errors-pg.XXXXXX)
    echo "$other" >"$DIR/elsewhere"
    printf '\033[1;34m[pg]\033[0m %s\n' "postgres cannot enter $DIR: the cluster lives in $other" >&2
    DIR=$other
  fi
fi
log() { printf '\033[1;34m[pg]\033[0m %s\n' "$*" >&2; }

bindir() {
  if ! command -v pg_config >/dev/null || [ ! -x "$(pg_config --bindir)/initdb" ] \
    || [ ! -f "$(pg_config --sharedir)/extension/pg_trgm.control" ]; then
    log "installing Debian's postgresql (initdb, pg_ctl, pg_trgm)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  fi
  pg_config --bindir
}

# Runs a command as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$1"
  else
    sh -c "$1"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The port this cluster had before, when it is still free: a restart keeps its address (the
# fault tests restart PostgreSQL under a running server).
previous_port() {
  [ -f "$DIR/port" ] || return 1
  # SO_REUSEADDR, as PostgreSQL binds: the connections of the stopped server may linger in
  # TIME_WAIT on the port, which does not stop a listener (another listener does).
  python3 -c 'import socket,sys; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", int(sys.argv[1]))); print(sys.argv[1])' \
    "$(cat "$DIR/port")" 2>/dev/null
}

running() {
  [ -f "$DIR/data/postmaster.pid" ] && as_owner "'$(bindir)/pg_ctl' -D '$DIR/data' status" >/dev/null 2>&1
}

start() {
  local bin port
  bin=$(bindir)
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    log "initdb $DIR/data"
    # UTF-8 with a locale that is not C: the store sets its own collation ("C") where order
    # matters, and the tests check that it does.
    as_owner "'$bin/initdb' -D '$DIR/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8" >&2
  fi
  if running; then
    log "already running on port $(cat "$DIR/port")"
    return
  fi
  port=$(previous_port || free_port)
  as_owner "'$bin/pg_ctl' -D '$DIR/data' -l '$DIR/log' -w -t 60 \
    -o \"-p $port -k '$DIR' -c listen_addresses=127.0.0.1 -c max_connections=200 ${PG_OPTIONS:-}\" start" >&2
  echo "$port" >"$DIR/port"
  log "running on 127.0.0.1:$port (data $DIR/data, log $DIR/log)"
}

stop() {
  if running; then
    as_owner "'$(bindir)/pg_ctl' -D '$DIR/data' -m fast -w stop" >&2
  fi
}

url() {
  echo "postgres://postgres@127.0.0.1:$(cat "$DIR/port")/postgres"
}

case "${1:-}" in
  start) start; url ;;
  stop) stop ;;
  url) url ;;
  run)
    shift
    start >/dev/null
    trap stop EXIT
    SYNC_ERRORS_TEST_PG=$(url) "$@"
    ;;
  *) echo "usage: $0 start|stop|url|run CMD..." >&2; exit 2 ;;
esac
