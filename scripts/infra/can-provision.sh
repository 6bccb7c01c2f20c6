#!/usr/bin/env bash
# Exit 0 when up.sh can bring both servers up on this machine without anything else installed:
#   Kafka:    java >= 17 (always: it runs the broker) + mvn, unless the jars are already cached;
#   FerretDB: go >= 1.24, unless the binary is already built in the cache;
#   and node with the repo's kafkajs/mongodb (the readiness probes).
# Otherwise print what is missing and exit 1. Probes nothing on the network.
set -euo pipefail
# shellcheck source=scripts/infra/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

missing=()

if ! command -v java >/dev/null 2>&1; then
  missing+=("java >= 17 (not found)")
elif [ "$(java_major)" -lt 17 ]; then
  missing+=("java >= 17 (found $(java_major))")
fi

if kafka_is_cached; then
  echo "kafka $KAFKA_VERSION: cached in $(kafka_home)"
elif command -v mvn >/dev/null 2>&1; then
  echo "kafka $KAFKA_VERSION: can be resolved with $(mvn -v 2>/dev/null | sed -n 's/\x1b\[[0-9;]*m//g; 1p')"
else
  missing+=("mvn (Kafka $KAFKA_VERSION is not cached in $(kafka_home))")
fi

if ferretdb_is_cached; then
  echo "ferretdb $FERRETDB_VERSION: cached at $(ferretdb_bin)"
elif ! command -v go >/dev/null 2>&1; then
  missing+=("go >= 1.24 (FerretDB $FERRETDB_VERSION is not built in $(ferretdb_bin))")
elif [ "$(go_version_num || echo 0)" -lt 1024 ]; then
  missing+=("go >= 1.24 (found $(go env GOVERSION 2>/dev/null))")
else
  echo "ferretdb $FERRETDB_VERSION: can be built with $(go env GOVERSION)"
fi

if ! command -v node >/dev/null 2>&1; then
  missing+=("node (readiness probes)")
else
  for m in kafkajs mongodb; do
    [ -d "$REPO_ROOT/node_modules/$m" ] || missing+=("node_modules/$m (run npm ci)")
  done
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "cannot provision the test servers; missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi
echo "ok: both servers can be provisioned"
