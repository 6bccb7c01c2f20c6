#!/usr/bin/env bash
# Stop Kafka and FerretDB started by up.sh (pid files first, then any stray process of this
# checkout, recognised by its .infra path on the command line). Idempotent.
#   down.sh [--wipe] [kafka] [ferretdb]
#   kafka, ferretdb  stop only the servers named (default: both), e.g. `down.sh $(cat started)`
#                    with the file up.sh filled through INFRA_STARTED_FILE
#   --wipe   also delete the runtime state in <repo>/.infra (topics, databases, logs); the download
#            and build cache (~/.cache/billing-infra or $INFRA_CACHE_DIR) is kept.
set -euo pipefail
# shellcheck source=scripts/infra/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

wipe=0
stop_kafka=0
stop_ferretdb=0
for arg in "$@"; do
  case "$arg" in
    --wipe) wipe=1 ;;
    kafka) stop_kafka=1 ;;
    ferretdb) stop_ferretdb=1 ;;
    *) die "usage: down.sh [--wipe] [kafka] [ferretdb]" ;;
  esac
done
if [ "$stop_kafka" = 0 ] && [ "$stop_ferretdb" = 0 ]; then
  stop_kafka=1
  stop_ferretdb=1
fi

if [ -d "$INFRA_DIR" ]; then infra_lock; fi
[ "$stop_kafka" = 0 ] || kafka_stop
[ "$stop_ferretdb" = 0 ] || ferretdb_stop

if [ "$wipe" = 1 ]; then
  case "$INFRA_DIR" in
    */.infra) ;;
    *) die "refusing to wipe unexpected directory $INFRA_DIR" ;;
  esac
  rm -rf "$INFRA_DIR"
  info "wiped $INFRA_DIR"
fi
