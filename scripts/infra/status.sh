#!/usr/bin/env bash
# Exit 0 when both servers answer (Kafka metadata request, MongoDB ping + write/read), 1 otherwise.
set -euo pipefail
# shellcheck source=scripts/infra/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_node_modules
rc=0
report() {
  local name=$1 kind=$2 port=$3 err
  if err=$(probe "$kind"); then
    echo "$name $INFRA_HOST:$port up"
  else
    echo "$name $INFRA_HOST:$port down (${err##*$'\n'})"
    rc=1
  fi
}
report kafka kafka "$KAFKA_PORT"
report ferretdb mongo "$MONGO_PORT"
exit "$rc"
