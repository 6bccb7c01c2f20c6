# shellcheck shell=bash
# FerretDB v1 (MongoDB wire protocol on an SQLite backend), built from the Go module proxy.
# Sourced by lib.sh.

FERRETDB_MODULE=github.com/FerretDB/FerretDB

ferretdb_bin() { echo "$CACHE_DIR/bin/ferretdb-$FERRETDB_VERSION"; }
ferretdb_is_cached() { [ -x "$(ferretdb_bin)" ]; }
ferretdb_pid() { pid_from_file "$FERRETDB_PID_FILE" "$FERRETDB_CMD_MARKER"; }

# Go environment for the build: everything under the cache dir so a rebuild reuses the downloads.
# GOTOOLCHAIN=local: never try to download another toolchain (FerretDB v1.24 needs go >= 1.24).
# -modcacherw: keep the module cache deletable with a plain `rm -rf`.
# CGO_ENABLED=0: FerretDB's SQLite driver is pure Go; no C compiler needed, static binary.
_ferretdb_go_env() {
  export GOPATH="$CACHE_DIR/go"
  export GOMODCACHE="$CACHE_DIR/go/pkg/mod"
  export GOCACHE="$CACHE_DIR/go/build-cache"
  export GOFLAGS="-buildvcs=false -mod=mod -modcacherw"
  export GOTOOLCHAIN=local GOWORK=off CGO_ENABLED=0
}

# Why not simply `GOBIN=... go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`:
#  1. `go install pkg@version` checks the module for deprecation through the proxy's `@v/list`
#     endpoint, which the registry mirror here answers with 403, so the command fails outright;
#  2. even when it builds, the binary panics at start-up: FerretDB embeds build/version/version.txt,
#     a generated file that is not part of the published module zip.
# So: download the module (`go mod download`, plain .info/.mod/.zip requests), copy its source,
# write version.txt/commit.txt, and `go build ./cmd/ferretdb` inside it (its own go.mod/go.sum).
ferretdb_provision() {
  ferretdb_is_cached && return 0
  command -v go >/dev/null 2>&1 || die "FerretDB $FERRETDB_VERSION is not cached at $(ferretdb_bin) and go is not installed"
  local log="$FERRETDB_RUN_DIR/provision.log" bin work json dir commit
  bin=$(ferretdb_bin)
  mkdir -p "$FERRETDB_RUN_DIR" "$CACHE_DIR/bin"
  clean_stale_tmp
  : >"$log"
  work="$CACHE_DIR/ferretdb-build.$$"
  rm -rf "$work"
  mkdir -p "$work/empty"
  info "ferretdb: building $FERRETDB_MODULE@$FERRETDB_VERSION from the Go module proxy (takes minutes the first time; log: $log)"
  (
    _ferretdb_go_env
    set -x
    cd "$work/empty" # outside any module, so `go mod download` takes module@version as is
    go mod download -json "$FERRETDB_MODULE@$FERRETDB_VERSION" >"$work/module.json"
  ) >>"$log" 2>&1 || { show_log_tail "ferretdb provisioning" "$log"; rm -rf "$work"; die "could not download $FERRETDB_MODULE@$FERRETDB_VERSION"; }
  json=$(cat "$work/module.json")
  dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json" | sed -n 1p)
  commit=$(sed -n 's/^[[:space:]]*"Hash": "\([0-9a-f]*\)",\{0,1\}$/\1/p' <<<"$json" | sed -n 1p)
  [ -d "$dir" ] || { rm -rf "$work"; die "go mod download did not report a source dir for $FERRETDB_MODULE@$FERRETDB_VERSION"; }
  cp -R "$dir" "$work/src"
  chmod -R u+w "$work/src"
  echo "$FERRETDB_VERSION" >"$work/src/build/version/version.txt"
  [ -n "$commit" ] && echo "$commit" >"$work/src/build/version/commit.txt"
  echo "source" >"$work/src/build/version/package.txt"
  (
    _ferretdb_go_env
    set -x
    cd "$work/src"
    go build -trimpath -o "$work/ferretdb" ./cmd/ferretdb
    "$work/ferretdb" --version
  ) >>"$log" 2>&1 || { show_log_tail "ferretdb provisioning" "$log"; rm -rf "$work"; die "building FerretDB $FERRETDB_VERSION failed"; }
  mv -f "$work/ferretdb" "$bin" # atomic publish into the cache
  rm -rf "$work"
  info "ferretdb: cached $bin"
}

ferretdb_args() {
  echo "--handler=sqlite"
  echo "--sqlite-url=file:$FERRETDB_RUN_DIR/data/"
  echo "--listen-addr=$INFRA_HOST:$MONGO_PORT"
  echo "--state-dir=$FERRETDB_RUN_DIR/state"
  echo "--debug-addr=$FERRETDB_DEBUG_ADDR"
  echo "--telemetry=disable"
  echo "--log-level=$FERRETDB_LOG_LEVEL"
}

ferretdb_start() {
  local pid
  if pid=$(ferretdb_pid); then
    # One FerretDB per checkout: the running one must listen where asked (MONGO_PORT may differ).
    local cmd
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline")
    if [[ " $cmd " != *" --listen-addr=$INFRA_HOST:$MONGO_PORT "* ]]; then
      die "this checkout's FerretDB already runs on another port (pid $pid); run down.sh first to change MONGO_PORT"
    fi
    info "ferretdb: already started (pid $pid)"
    return 0
  fi
  if port_open "$INFRA_HOST" "$MONGO_PORT"; then
    die "port $INFRA_HOST:$MONGO_PORT is taken by a process that is not this checkout's FerretDB (or does not answer as MongoDB)"
  fi
  ferretdb_provision
  mkdir -p "$FERRETDB_RUN_DIR/data" "$FERRETDB_RUN_DIR/state"
  rm -f "$FERRETDB_PID_FILE"
  local args=() unset_env=() var
  mapfile -t args < <(ferretdb_args)
  for var in $(compgen -e); do
    case "$var" in FERRETDB_*) unset_env+=(-u "$var") ;; esac
  done
  # FerretDB reads FERRETDB_* variables as flag defaults: drop any from the caller's environment so
  # only the flags below apply. The state dir holds its state.json (instance id, telemetry choice),
  # which would otherwise land in the current directory.
  start_detached "$FERRETDB_PID_FILE" "$FERRETDB_LOG" \
    env "${unset_env[@]}" "$(ferretdb_bin)" "${args[@]}"
  info "ferretdb: started $FERRETDB_VERSION (pid $(cat "$FERRETDB_PID_FILE"), log $FERRETDB_LOG)"
}

ferretdb_wait() {
  wait_ready ferretdb mongo "$MONGO_READY_TIMEOUT" "$FERRETDB_PID_FILE" "$FERRETDB_CMD_MARKER" "$FERRETDB_LOG"
}

ferretdb_stop() {
  local pids=() pid
  pid=$(ferretdb_pid) && pids+=("$pid")
  for pid in $(pids_matching "$FERRETDB_CMD_MARKER"); do
    [[ " ${pids[*]} " == *" $pid "* ]] || pids+=("$pid")
  done
  if [ ${#pids[@]} -eq 0 ]; then
    info "ferretdb: not running"
  else
    stop_pids ferretdb 30 "${pids[@]}"
  fi
  rm -f "$FERRETDB_PID_FILE"
}
