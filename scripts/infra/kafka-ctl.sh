#!/usr/bin/env bash
# Stop or start ONLY the Kafka broker, keeping its data (topics, offsets, cluster id): lets the
# integration tests simulate a broker outage. FerretDB is not touched.
#   kafka-ctl.sh stop      stop the broker (SIGTERM, SIGKILL after 60 s); no-op when stopped
#   kafka-ctl.sh start     start it again and wait until it answers (like up.sh, Kafka only)
#   kafka-ctl.sh restart   stop + start
#   kafka-ctl.sh status    exit 0 when the broker answers
set -euo pipefail
# shellcheck source=scripts/infra/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

do_start() {
  require_node_modules
  if probe kafka >/dev/null; then
    echo "kafka $INFRA_HOST:$KAFKA_PORT ready"
    return 0
  fi
  kafka_start
  kafka_wait || exit 1
  echo "kafka $INFRA_HOST:$KAFKA_PORT ready"
}

case "${1:-}" in
  stop)
    infra_lock
    kafka_stop
    ;;
  start)
    infra_lock
    do_start
    ;;
  restart)
    infra_lock
    kafka_stop
    do_start
    ;;
  status)
    require_node_modules
    if err=$(probe kafka); then
      echo "kafka $INFRA_HOST:$KAFKA_PORT up"
    else
      echo "kafka $INFRA_HOST:$KAFKA_PORT down (${err##*$'\n'})"
      exit 1
    fi
    ;;
  *) die "usage: kafka-ctl.sh stop|start|restart|status" ;;
esac
