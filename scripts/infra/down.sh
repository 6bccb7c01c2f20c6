#!/usr/bin/env bash
# Stop Kafka and FerretDB started by up.sh (pid files first, then any stray process of this
# checkout, recognised by its .infra path on the command line). Idempotent.
#   --wipe   also delete the runtime state in <repo>/.infra (topics, databases, logs); the download
#            and build cache (~/.cache/billing-infra or $INFRA_CACHE_DIR) is kept.
set -euo pipefail
# shellcheck source=scripts/infra/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

wipe=0
case "${1:-}" in
  "") ;;
  --wipe) wipe=1 ;;
  *) die "usage: down.sh [--wipe]" ;;
esac

if [ -d "$INFRA_DIR" ]; then infra_lock; fi
kafka_stop
ferretdb_stop

if [ "$wipe" = 1 ]; then
  case "$INFRA_DIR" in
    */.infra) ;;
    *) die "refusing to wipe unexpected directory $INFRA_DIR" ;;
  esac
  rm -rf "$INFRA_DIR"
  info "wiped $INFRA_DIR"
fi
