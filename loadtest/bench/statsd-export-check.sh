#!/usr/bin/env bash
# StatsD ingest with export on and off, in one sitting: the StatsD harness's full-speed runs
# (20 lines per packet, counters, 100 and 100 000 series) against the packaged gateway as it is
# ("off") and exporting to a real Prometheus by remote write every EXPORT_INTERVAL ("on"; default
# 10s, the gateway's default; 1s is its least), in turns, RUNS rounds of SECONDS each. Prints the
# medians and the on/off ratio.
#   STATSD_HARNESS=<dir of run.sh> [EXPORT_INTERVAL=10s] \
#     loadtest/bench/statsd-export-check.sh [RUNS] [SECONDS] [CSV]
# Needs Debian's prometheus.
set -euo pipefail
: "${STATSD_HARNESS:?set STATSD_HARNESS to the directory of the StatsD harness (run.sh)}"
RUNS=${1:-3}; SECONDS_PER_RUN=${2:-5}
HOME_DIR=$(cd "$(dirname "$0")/../.." && pwd)
CSV=${3:-$(mktemp -t statsd-export.XXXXXX.csv)}
JAR=$HOME_DIR/gateway/target/tally.jar
[ -f "$JAR" ] || { echo "no gateway/target/tally.jar: build it first" >&2; exit 1; }
WORK=$(mktemp -d -t statsd-export.XXXXXX)
PROM_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'global:\n  scrape_interval: 1m\n' > "$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --web.enable-remote-write-receiver \
  > "$WORK/prometheus.log" 2>&1 &
PROM=$!
trap 'kill $PROM 2>/dev/null; wait $PROM 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null && break; sleep 0.2; done
REV=$(git -C "$HOME_DIR" rev-parse --short HEAD 2>/dev/null || echo local)
BASE="java -Xms1g -Xmx1g -jar $JAR --statsd-port \$BENCH_PORT --http-port \$GATEWAY_ADMIN_PORT --bind 127.0.0.1 --otlp-grpc-port 0 --otlp-http-port 0"
for _ in $(seq 1 "$RUNS"); do
  GATEWAY_CMD="$BASE" GATEWAY_NAME="tally-$REV-export-off" "$STATSD_HARNESS/run.sh" \
    -s java-gateway -l 20 -k 100,100000 -r max -d "$SECONDS_PER_RUN" -n 1 -o "$CSV" > /dev/null
  rm -rf "$WORK/data"
  GATEWAY_CMD="$BASE --export-remote-write http://127.0.0.1:$PROM_PORT/api/v1/write --export-interval ${EXPORT_INTERVAL:-10s} --data-dir $WORK/data" \
    GATEWAY_NAME="tally-$REV-export-on" "$STATSD_HARNESS/run.sh" \
    -s java-gateway -l 20 -k 100,100000 -r max -d "$SECONDS_PER_RUN" -n 1 -o "$CSV" > /dev/null
done
python3 "$HOME_DIR/loadtest/bench/onoff.py" "$CSV" "tally-$REV" export
echo "rows: $CSV"
