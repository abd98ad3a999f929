#!/usr/bin/env bash
# StatsD ingest with the history on and off, in one sitting: the StatsD harness's full-speed runs
# (20 lines per packet, counters, 100 and 100 000 series) against the packaged gateway with its
# history on ("on", the default: every series written every HISTORY_RESOLUTION, default 10s,
# into a fresh data directory each round) and with --history false ("off"), in turns, RUNS rounds
# of SECONDS each (at least 20 s, so that a run holds history writes). Prints the medians and the
# on/off ratio.
#   STATSD_HARNESS=<dir of run.sh> [HISTORY_RESOLUTION=10s] \
#     loadtest/bench/statsd-history-check.sh [RUNS] [SECONDS] [CSV]
set -euo pipefail
: "${STATSD_HARNESS:?set STATSD_HARNESS to the directory of the StatsD harness (run.sh)}"
RUNS=${1:-3}; SECONDS_PER_RUN=${2:-20}
HOME_DIR=$(cd "$(dirname "$0")/../.." && pwd)
CSV=${3:-$(mktemp -t statsd-history.XXXXXX.csv)}
JAR=$HOME_DIR/gateway/target/tally.jar
[ -f "$JAR" ] || { echo "no gateway/target/tally.jar: build it first" >&2; exit 1; }
WORK=$(mktemp -d -t statsd-history.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
REV=$(git -C "$HOME_DIR" rev-parse --short HEAD 2>/dev/null || echo local)
BASE="java -Xms1g -Xmx1g -jar $JAR --statsd-port \$BENCH_PORT --http-port \$GATEWAY_ADMIN_PORT --bind 127.0.0.1 --otlp-grpc-port 0 --otlp-http-port 0"
for _ in $(seq 1 "$RUNS"); do
  GATEWAY_CMD="$BASE --history false --data-dir $WORK/off" GATEWAY_NAME="tally-$REV-history-off" \
    "$STATSD_HARNESS/run.sh" -s java-gateway -l 20 -k 100,100000 -r max -d "$SECONDS_PER_RUN" \
    -n 1 -o "$CSV" > /dev/null
  rm -rf "$WORK/data"
  GATEWAY_CMD="$BASE --history-resolution ${HISTORY_RESOLUTION:-10s} --data-dir $WORK/data" \
    GATEWAY_NAME="tally-$REV-history-on" "$STATSD_HARNESS/run.sh" \
    -s java-gateway -l 20 -k 100,100000 -r max -d "$SECONDS_PER_RUN" -n 1 -o "$CSV" > /dev/null
done
python3 "$HOME_DIR/loadtest/bench/onoff.py" "$CSV" "tally-$REV" history
echo "rows: $CSV"
