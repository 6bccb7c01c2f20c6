#!/usr/bin/env bash
# Start the integration-test servers — Kafka on 127.0.0.1:${KAFKA_PORT:-9092} and FerretDB (MongoDB
# wire protocol) on 127.0.0.1:${MONGO_PORT:-27017} — provisioning them into the cache first if needed.
# Idempotent: a server that already answers is left alone. Prints one "<name> <addr> ready" line per
# server on stdout (progress goes to stderr); exits non-zero with the failing server's log tail.
# Knobs: INFRA_DIR, INFRA_STARTED_FILE, KAFKA_PORT, KAFKA_CONTROLLER_PORT, MONGO_PORT, KAFKA_VERSION, FERRETDB_VERSION,
#        INFRA_CACHE_DIR, KAFKA_HEAP_OPTS, KAFKA_READY_TIMEOUT, MONGO_READY_TIMEOUT.
set -euo pipefail
# shellcheck source=scripts/infra/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

started_at=$SECONDS
require_node_modules

print_ready() {
  echo "kafka $INFRA_HOST:$KAFKA_PORT ready"
  echo "ferretdb $INFRA_HOST:$MONGO_PORT ready"
}

# Fast path (no lock, no provisioning): both already answer.
if probe kafka >/dev/null && probe mongo >/dev/null; then
  print_ready
  exit 0
fi

infra_lock
# Re-check under the lock: a concurrent up.sh may have started them while we waited.
kafka_ok=0
ferretdb_ok=0
probe kafka >/dev/null && kafka_ok=1
probe mongo >/dev/null && ferretdb_ok=1

# The first FerretDB build takes minutes, Kafka's jar download seconds: build FerretDB in the
# background while Kafka is resolved, formatted and started. (If Kafka fails meanwhile, the build
# still finishes and lands in the cache for the next run.)
build_pid=""
if [ "$ferretdb_ok" = 0 ] && ! ferretdb_is_cached; then
  (ferretdb_provision) &
  build_pid=$!
fi

[ "$kafka_ok" = 1 ] || { kafka_start && record_started kafka; }

if [ -n "$build_pid" ]; then
  wait "$build_pid" || die "FerretDB provisioning failed (see $FERRETDB_RUN_DIR/provision.log)"
fi
[ "$ferretdb_ok" = 1 ] || { ferretdb_start && record_started ferretdb; }

failed=0
[ "$ferretdb_ok" = 1 ] || ferretdb_wait || failed=1
[ "$kafka_ok" = 1 ] || kafka_wait || failed=1
[ "$failed" = 0 ] || exit 1

print_ready
info "up in $((SECONDS - started_at))s"
