# shellcheck shell=bash
# Shared settings and helpers for scripts/infra/*.sh. Sourced by the entry points, never run directly.
#
# Layout:
#   cache (survives `down.sh --wipe`, reused across runs):  ${INFRA_CACHE_DIR:-~/.cache/billing-infra}
#     kafka/<version>/libs/*.jar   Kafka broker classpath, resolved from Maven Central
#     m2/                          Maven local repository used to resolve it
#     bin/ferretdb-<version>       FerretDB binary built from the Go module proxy
#     go/                          GOPATH / GOMODCACHE / GOCACHE for that build
#   runtime state (logs, data, pid files):  <repo>/.infra
#     kafka/{server.properties,log4j2.properties,cluster.id,data/,kafka.log,kafka.pid}
#     ferretdb/{data/,state/,ferretdb.log,ferretdb.pid}

INFRA_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$INFRA_SCRIPT_DIR/../.." && pwd)"
# INFRA_DIR: a second, independent set of servers (e.g. a broker a test owns and stops) needs its
# own runtime dir, its own ports and nothing else.
INFRA_DIR="${INFRA_DIR:-$REPO_ROOT/.infra}"
CACHE_DIR="${INFRA_CACHE_DIR:-$HOME/.cache/billing-infra}"

INFRA_HOST=127.0.0.1
KAFKA_VERSION="${KAFKA_VERSION:-4.2.0}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_READY_TIMEOUT="${KAFKA_READY_TIMEOUT:-90}"
MONGO_PORT="${MONGO_PORT:-27017}"
MONGO_READY_TIMEOUT="${MONGO_READY_TIMEOUT:-60}"
FERRETDB_VERSION="${FERRETDB_VERSION:-v1.24.2}"
# "-" disables FerretDB's debug/metrics HTTP listener (default 127.0.0.1:8088), so it cannot clash with anything.
FERRETDB_DEBUG_ADDR="${FERRETDB_DEBUG_ADDR:--}"
# FerretDB logs every connection at INFO and dumps each failed command at WARN (e.g. the Node
# driver's endSessions on every close, which it does not implement), which floods the log in tests.
FERRETDB_LOG_LEVEL="${FERRETDB_LOG_LEVEL:-error}"

KAFKA_RUN_DIR="$INFRA_DIR/kafka"
KAFKA_LOG="$KAFKA_RUN_DIR/kafka.log"
KAFKA_PID_FILE="$KAFKA_RUN_DIR/kafka.pid"
KAFKA_CONFIG="$KAFKA_RUN_DIR/server.properties"
FERRETDB_RUN_DIR="$INFRA_DIR/ferretdb"
FERRETDB_LOG="$FERRETDB_RUN_DIR/ferretdb.log"
FERRETDB_PID_FILE="$FERRETDB_RUN_DIR/ferretdb.pid"

# Substrings of the servers' command lines that only our own processes carry (they contain this
# checkout's absolute .infra path): used to find strays when a pid file is missing or stale.
KAFKA_CMD_MARKER="kafka.Kafka $KAFKA_CONFIG"
FERRETDB_CMD_MARKER="--sqlite-url=file:$FERRETDB_RUN_DIR/data/"

# INFRA_STARTED_FILE: up.sh appends the name of each server it starts (not those already
# answering), so a caller can later stop exactly what it started (`down.sh $(cat file)`).
record_started() {
  [ -n "${INFRA_STARTED_FILE:-}" ] && echo "$1" >>"$INFRA_STARTED_FILE"
  return 0
}

info() { printf 'infra: %s\n' "$*" >&2; }
die() { printf 'infra: error: %s\n' "$*" >&2; exit 1; }

# Serialise up/down/kafka-ctl of this checkout (parallel test runners may call up.sh together).
infra_lock() {
  mkdir -p "$INFRA_DIR"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$INFRA_DIR/.lock"
  flock -w 1800 9 || die "could not take $INFRA_DIR/.lock within 30 minutes"
}

# TCP connect check without nc/curl: bash's /dev/tcp, bounded by timeout(1).
port_open() {
  # shellcheck disable=SC2016 # $1/$2 expand in the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" >/dev/null 2>&1
}

require_node_modules() {
  command -v node >/dev/null 2>&1 || die "node is not on PATH (needed for the readiness probes)"
  local m
  for m in kafkajs mongodb; do
    [ -d "$REPO_ROOT/node_modules/$m" ] || die "$REPO_ROOT/node_modules/$m is missing: run npm ci first"
  done
}

# probe kafka|mongo: one protocol-level readiness check (see probe.cjs); prints the error on failure.
probe() {
  local kind=$1 port
  if [ "$kind" = kafka ]; then port=$KAFKA_PORT; else port=$MONGO_PORT; fi
  port_open "$INFRA_HOST" "$port" || { echo "nothing listens on $INFRA_HOST:$port"; return 1; }
  node "$INFRA_SCRIPT_DIR/probe.cjs" "$kind" "$INFRA_HOST:$port" 2>&1
}

# Leftovers of provisioning runs that were interrupted (Ctrl-C, CI timeout) more than 3 hours ago.
clean_stale_tmp() {
  [ -d "$CACHE_DIR" ] || return 0
  find "$CACHE_DIR" "$CACHE_DIR/kafka" -maxdepth 1 \( -name '*.tmp.*' -o -name 'ferretdb-build.*' \) \
    -mmin +180 -exec rm -rf {} + 2>/dev/null || true
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Pids whose command line contains the given marker (scans /proc; never matches this shell).
pids_matching() {
  local marker=$1 dir pid cmd
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [ "$pid" = "$$" ] && continue
    cmd=$(tr '\0' ' ' <"$dir/cmdline" 2>/dev/null) || continue
    case "$cmd" in *"$marker"*) echo "$pid" ;; esac
  done
}

# Pid from a pid file, only if that process is alive and still one of ours (pids get reused).
pid_from_file() {
  local file=$1 marker=$2 pid cmd
  [ -f "$file" ] || return 1
  pid=$(cat "$file" 2>/dev/null) || return 1
  pid_alive "$pid" || return 1
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  case "$cmd" in *"$marker"*) echo "$pid" ;; *) return 1 ;; esac
}

# Start a detached server: own session (Ctrl-C / CI process-group kills of the caller do not reach
# it), no inherited stdin/stdout/stderr (so `execSync('... up.sh')` returns) and fd 9 closed (the
# server must not inherit the lock). The wrapper writes its own pid and then execs the server, so
# the pid file holds the server's pid.
start_detached() {
  local pid_file=$1 log=$2
  shift 2
  # Logs are appended across restarts (kafka-ctl stop/start keeps the history); keep them bounded.
  if [ -f "$log" ] && [ "$(stat -c %s "$log")" -gt $((20 * 1024 * 1024)) ]; then
    mv -f "$log" "$log.1"
  fi
  printf '\n===== %s starting: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$log"
  # shellcheck disable=SC2016 # $$/$0/$@ expand in the inner bash
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pid_file" "$@" </dev/null >>"$log" 2>&1 9>&- &
  # Wait until the wrapper has written the pid file.
  for _ in $(seq 1 50); do
    [ -s "$pid_file" ] && return 0
    sleep 0.1
  done
  die "could not start $1"
}

# Stop: SIGTERM (both servers shut down cleanly on it), SIGKILL after a grace period.
stop_pids() {
  local name=$1 grace=$2
  shift 2
  [ $# -gt 0 ] || return 0
  info "stopping $name (pid $*)"
  kill -TERM "$@" 2>/dev/null || true
  local deadline=$((SECONDS + grace)) pid alive
  while :; do
    alive=()
    for pid in "$@"; do pid_alive "$pid" && alive+=("$pid"); done
    [ ${#alive[@]} -eq 0 ] && return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      info "$name did not stop within ${grace}s, sending SIGKILL to ${alive[*]}"
      kill -KILL "${alive[@]}" 2>/dev/null || true
      sleep 0.5
      return 0
    fi
    sleep 0.2
  done
}

show_log_tail() {
  local name=$1 log=$2
  if [ -f "$log" ]; then
    printf 'infra: ---- last 50 lines of %s (%s) ----\n' "$name" "$log" >&2
    tail -n 50 "$log" >&2
    printf 'infra: ---- end of %s ----\n' "$log" >&2
  else
    info "no log at $log"
  fi
}

# wait_ready NAME KIND TIMEOUT PID_FILE MARKER LOG: poll the probe until it succeeds; fail early if
# the server process died.
wait_ready() {
  local name=$1 kind=$2 timeout=$3 pid_file=$4 marker=$5 log=$6
  local deadline=$((SECONDS + timeout)) err=""
  while :; do
    if err=$(probe "$kind"); then return 0; fi
    if ! pid_from_file "$pid_file" "$marker" >/dev/null; then
      info "$name exited before becoming ready (last probe: ${err##*$'\n'})"
      show_log_tail "$name" "$log"
      return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      info "$name not ready after ${timeout}s (last probe: ${err##*$'\n'})"
      show_log_tail "$name" "$log"
      return 1
    fi
    sleep 1
  done
}

java_major() {
  local v
  v=$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | sed -n 1p)
  case "$v" in
    1.*) v=${v#1.}; echo "${v%%.*}" ;;
    *) v=${v%%[.+-]*}; echo "${v:-0}" ;;
  esac
}

# "1.26.8" -> 1026 (minor versions compared as major*1000+minor).
go_version_num() {
  local v
  v=$(go env GOVERSION 2>/dev/null) || return 1
  v=${v#go}
  local major=${v%%.*} rest=${v#*.}
  local minor=${rest%%[.a-z]*}
  echo $((major * 1000 + minor))
}

# shellcheck source=scripts/infra/kafka.lib.sh
. "$INFRA_SCRIPT_DIR/kafka.lib.sh"
# shellcheck source=scripts/infra/ferretdb.lib.sh
. "$INFRA_SCRIPT_DIR/ferretdb.lib.sh"
