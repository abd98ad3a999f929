#!/usr/bin/env bash
# The history beside Prometheus on the same data, in one sitting: SERIES counters (default 10 000)
# sampled every STEP seconds (10) for HOURS hours (24) ending a minute ago, written into a Tally
# history (as the gateway writes it) and into Prometheus blocks (promtool tsdb create-blocks-from
# openmetrics); prints each one's bytes per sample on disk, then times QUERY (default
# sum by (a) (rate(x_total[5m]))) as a range query over the HOURS at a 60 s step on both, ROUNDS
# times in turns (default 5), through their HTTP APIs, and prints the medians and Tally's time as
# a ratio of Prometheus'. Builds nothing: needs gateway/target/tally.jar and
# loadtest/target/benchmarks.jar, and Debian's prometheus.
#   loadtest/bench/history-vs-prometheus.sh [SERIES] [HOURS] [STEP] [ROUNDS]
set -euo pipefail
SERIES=${1:-10000}; HOURS=${2:-24}; STEP=${3:-10}; ROUNDS=${4:-5}
QUERY=${QUERY:-'sum by (a) (rate(x_total[5m]))'}
HOME_DIR=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$HOME_DIR/gateway/target/tally.jar
BENCH=$HOME_DIR/loadtest/target/benchmarks.jar
WORK=$(mktemp -d -t history-bench.XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
END=$(( $(date +%s) - 60 ))
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

java -cp "$BENCH" dev.tally.loadtest.bench.HistoryDataset tally "$WORK/tally/history" "$SERIES" "$HOURS" "$STEP" "$END"
java -cp "$BENCH" dev.tally.loadtest.bench.HistoryDataset openmetrics "$WORK/data.om" "$SERIES" "$HOURS" "$STEP" "$END"
SAMPLES=$(( SERIES * (HOURS * 3600 / STEP + 1) ))
/usr/bin/time -f "promtool create-blocks-from: %e s" promtool tsdb create-blocks-from openmetrics "$WORK/data.om" "$WORK/prom" > "$WORK/promtool.log"
rm -f "$WORK/data.om"
PROM_BYTES=$(du -sb "$WORK/prom" | cut -f1)
TALLY_BYTES=$(du -sb "$WORK/tally/history" | cut -f1)
python3 -c "print('on disk: tally %.3f bytes per sample (%d bytes), prometheus %.3f (%d bytes, its blocks as promtool wrote them), %d samples' % ($TALLY_BYTES/$SAMPLES, $TALLY_BYTES, $PROM_BYTES/$SAMPLES, $PROM_BYTES, $SAMPLES))"

PROM_PORT=$(free_port); TALLY_PORT=$(free_port)
printf 'global:\n  scrape_interval: 1m\n' > "$WORK/prometheus.yml"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" \
  --storage.tsdb.retention.time=30d --web.listen-address="127.0.0.1:$PROM_PORT" > "$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
java -Xms1g -Xmx1g -jar "$JAR" --http-port "$TALLY_PORT" --statsd-port 0 --otlp-grpc-port 0 \
  --otlp-http-port 0 --bind 127.0.0.1 --data-dir "$WORK/tally" > "$WORK/tally.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null && curl -sf "http://127.0.0.1:$TALLY_PORT/health/ready" >/dev/null && break
  sleep 0.2
done
# Prometheus compacts the blocks promtool wrote once it runs: the timing waits until it is idle
# (its CPU below 5 % over 10 s), as a Prometheus that has held the data for a while would be
cpu() { curl -s "http://127.0.0.1:$PROM_PORT/metrics" | awk '$1 == "process_cpu_seconds_total" { print $2 }'; }
for _ in $(seq 1 60); do
  a=$(cpu); sleep 10; b=$(cpu)
  python3 -c "import sys; sys.exit(0 if $b - $a < 0.5 else 1)" && break
done
echo "prometheus idle; its blocks: $(ls "$WORK/prom" | grep -c '^01')"
START=$(( END - HOURS * 3600 ))
ask() { # base -> seconds,series
  curl -s -o "$WORK/answer.json" -w '%{time_total}' --data-urlencode "query=$QUERY" \
    --data-urlencode "start=$START" --data-urlencode "end=$END" --data-urlencode "step=60" "$1/api/v1/query_range"
  printf ',%s\n' "$(python3 -c "import json; print(len(json.load(open('$WORK/answer.json'))['data']['result']))")"
}
ask "http://127.0.0.1:$PROM_PORT" > /dev/null; ask "http://127.0.0.1:$TALLY_PORT" > /dev/null # warm
: > "$WORK/times.csv"
for r in $(seq 1 "$ROUNDS"); do
  echo "prometheus,$(ask "http://127.0.0.1:$PROM_PORT")" >> "$WORK/times.csv"
  echo "tally,$(ask "http://127.0.0.1:$TALLY_PORT")" >> "$WORK/times.csv"
done
python3 - "$WORK/times.csv" "$QUERY" <<'PY'
import csv, statistics, sys
rows = list(csv.reader(open(sys.argv[1])))
t = {s: [float(r[1]) for r in rows if r[0] == s] for s in ("prometheus", "tally")}
n = {s: {r[2] for r in rows if r[0] == s} for s in ("prometheus", "tally")}
print("query: %s, range query, step 60 s" % sys.argv[2])
for s in ("prometheus", "tally"):
    print("%-10s %s s, median %.3f s, series %s" % (s, ", ".join("%.3f" % x for x in t[s]), statistics.median(t[s]), ",".join(sorted(n[s]))))
print("tally / prometheus: %.2f" % (statistics.median(t["tally"]) / statistics.median(t["prometheus"])))
PY
