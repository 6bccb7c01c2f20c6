#!/usr/bin/env bash
# Fuzzes the running service with schemathesis against its own /openapi.json (`npm run fuzz`, CI).
#
# Two runs, each against a freshly started service (embedded store, empty temp DATA_DIR, free port,
# a known API key): one with a fixed seed (reproducible in CI history) and one with a random seed,
# printed so a failure can be replayed with SCHEMATHESIS_RANDOM_SEED=<seed>. Both generate valid and
# invalid data, run every check and all phases including the stateful one (schemathesis.toml).
# Exits non-zero on any failure, or when the two runs together sent fewer than
# SCHEMATHESIS_MIN_REQUESTS requests.
#
# Environment:
#   SCHEMATHESIS_FIXED_SEED    default 20260701
#   SCHEMATHESIS_RANDOM_SEED   default: drawn now
#   SCHEMATHESIS_MIN_REQUESTS  default 3000
#   SCHEMATHESIS_REPORT_DIR    where the NDJSON/JUnit reports and service logs go (default: a temp dir, kept)
#   SKIP_BUILD=1               use the existing dist/ instead of `nest build api`
set -euo pipefail
cd "$(dirname "$0")/.."

SCHEMATHESIS_VERSION=4.32.5
venv="${INFRA_CACHE_DIR:-$HOME/.cache/billing-infra}/schemathesis-$SCHEMATHESIS_VERSION"
fixed_seed="${SCHEMATHESIS_FIXED_SEED:-20260701}"
random_seed="${SCHEMATHESIS_RANDOM_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"
min_requests="${SCHEMATHESIS_MIN_REQUESTS:-3000}"
report_root="${SCHEMATHESIS_REPORT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/schemathesis.XXXXXX")}"
mkdir -p "$report_root"

if [ ! -x "$venv/bin/schemathesis" ]; then
  echo "installing schemathesis $SCHEMATHESIS_VERSION into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

if [ "${SKIP_BUILD:-}" != 1 ]; then
  npx nest build api
fi

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

service_pid=
data_dir=
stop_service() {
  if [ -n "$service_pid" ]; then
    kill "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
    service_pid=
  fi
  if [ -n "$data_dir" ]; then
    rm -rf "$data_dir"
    data_dir=
  fi
}
trap stop_service EXIT

api_key="fuzz_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

# run_once <label> <seed>: starts a fresh service, fuzzes it, stops it; sets run_status and run_requests.
run_once() {
  local label=$1 seed=$2 port dir="$report_root/$1"
  mkdir -p "$dir"
  port=$(free_port)
  data_dir=$(mktemp -d "${TMPDIR:-/tmp}/schemathesis-data.XXXXXX")
  # The rate limits are lifted: this run tests the API's answers (the limiter has its own tests),
  # and the ignored_auth check alone sends ~100 keyless requests a minute from one address.
  PORT=$port DATA_DIR="$data_dir" API_KEYS="$api_key=fuzz_tenant" \
    RATE_LIMIT_PER_MINUTE=1000000 AUTH_FAILURE_LIMIT_PER_MINUTE=1000000 \
    node dist/apps/api/src/main.js >"$dir/service.log" 2>&1 &
  service_pid=$!
  local ready=
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then ready=1; break; fi
    kill -0 "$service_pid" 2>/dev/null || break
    sleep 0.5
  done
  if [ -z "$ready" ]; then
    echo "schemathesis: the service did not become ready on port $port"; cat "$dir/service.log"; exit 1
  fi

  echo "== schemathesis $label run: seed $seed, service pid $service_pid on port $port"
  run_status=0
  SCHEMATHESIS_API_KEY="$api_key" "$venv/bin/schemathesis" --config-file schemathesis.toml run \
    "http://127.0.0.1:$port/openapi.json" --seed "$seed" --no-color \
    --report junit,ndjson --report-dir "$dir" >"$dir/output.txt" 2>&1 || run_status=$?
  # Schemathesis closes with pytest's banner ("==== 2 warnings in 38s ===="), which CI's log reader
  # takes for a pytest run that executed no test: print its output with the banners made plain.
  sed -E 's/^=+ (.*[^=]) =+$/-- \1 --/' "$dir/output.txt"

  run_requests=$("$venv/bin/python" - "$dir" <<'PY'
import glob, json, sys
# Every request schemathesis sent is an interaction recorded in a finished scenario.
total = 0
for path in glob.glob(f"{sys.argv[1]}/*.ndjson"):
    with open(path) as events:
        for line in events:
            event = json.loads(line)
            if "ScenarioFinished" in event:
                total += len(event["ScenarioFinished"]["recorder"].get("interactions", {}))
print(total)
PY
)
  echo "== schemathesis $label run (seed $seed): $run_requests requests, exit status $run_status"
  if ! kill -0 "$service_pid" 2>/dev/null; then
    echo "schemathesis: the service died during the run"; tail -50 "$dir/service.log"; run_status=1
  fi
  stop_service
}

started=$(date +%s)
run_once fixed "$fixed_seed"
fixed_status=$run_status fixed_requests=$run_requests
run_once random "$random_seed"
random_status=$run_status random_requests=$run_requests
total=$((fixed_requests + random_requests))

echo "== schemathesis summary: $total requests in $(($(date +%s) - started)) s;" \
  "fixed seed $fixed_seed → exit $fixed_status; random seed $random_seed → exit $random_status;" \
  "reports in $report_root"
if [ "$fixed_status" != 0 ] || [ "$random_status" != 0 ]; then
  echo "schemathesis found failures (replay the random run with SCHEMATHESIS_RANDOM_SEED=$random_seed)"
  exit 1
fi
if [ "$total" -lt "$min_requests" ]; then
  echo "schemathesis sent $total requests, fewer than the required $min_requests"
  exit 1
fi
