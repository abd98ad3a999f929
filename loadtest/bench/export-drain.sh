#!/usr/bin/env bash
# End to end into a real Prometheus: how fast the packaged gateway delivers a backlog by remote
# write. SERIES counter series (StatsD, sent again every 2 s so they stay), exported every 10 s;
# Prometheus is stopped for OUTAGE seconds, so the queue holds OUTAGE/10 exports of every series;
# then started again: the samples delivered from then until the queue is empty, over that time,
# are the delivery rate. Also prints the steady state (samples per second sent before the outage).
#   loadtest/bench/export-drain.sh [SERIES] [OUTAGE_SECONDS]
# Needs Debian's prometheus, curl and python3.
set -euo pipefail
SERIES=${1:-100000}; OUTAGE=${2:-60}
HOME_DIR=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$HOME_DIR/gateway/target/tally.jar
WORK=$(mktemp -d -t export-drain.XXXXXX)
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PROM_PORT=$(free); HTTP_PORT=$(free); STATSD_PORT=$(free)
printf 'global:\n  scrape_interval: 1m\n' > "$WORK/prometheus.yml"
prom() {
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --web.enable-remote-write-receiver \
    >> "$WORK/prometheus.log" 2>&1 &
  PROM=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PROM_PORT/-/ready" >/dev/null && return; sleep 0.2; done
}
prom
java -Xms1g -Xmx1g -jar "$JAR" --bind 127.0.0.1 --http-port "$HTTP_PORT" --statsd-port "$STATSD_PORT" \
  --otlp-grpc-port 0 --otlp-http-port 0 --statsd-warm-up 0s \
  --export-remote-write "http://127.0.0.1:$PROM_PORT/api/v1/write" --data-dir "$WORK/data" \
  > "$WORK/tally.log" 2>&1 &
TALLY=$!
python3 - "$STATSD_PORT" "$SERIES" > /dev/null 2>&1 <<'PY' &
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
packets = ["".join("drain.series.%d:1|c\n" % j for j in range(i, min(i + 20, n))).encode() for i in range(0, n, 20)]
while True:
    start = time.time()
    for p in packets:
        s.sendto(p, ("127.0.0.1", port))
    time.sleep(max(0, 2 - (time.time() - start)))
PY
SENDER=$!
trap 'kill $SENDER $TALLY $PROM 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
metric() {
  curl -s "http://127.0.0.1:$HTTP_PORT/metrics" |
    awk -v m="$1" 'index($0, m) == 1 { split($0, a, " "); v = a[length(a)] } END { print v + 0 }'
}
until [ "$(metric tally_export_sent_total)" != "0" ]; do sleep 0.5; done
s0=$(metric tally_export_sent_total); t0=$(date +%s.%N); sleep 30
s1=$(metric tally_export_sent_total); t1=$(date +%s.%N)
python3 -c "print('steady: %.0f samples/s sent (every 10 s, %d series)' % (($s1 - $s0) / ($t1 - $t0), $SERIES))"
kill "$PROM"; wait "$PROM" 2>/dev/null || true
sleep "$OUTAGE"
queued=$(metric tally_export_queue_bytes); before=$(metric tally_export_sent_total)
prom
t0=$(date +%s.%N)
until [ "$(metric tally_export_queue_bytes)" = "0" ]; do sleep 0.1; done
t1=$(date +%s.%N); after=$(metric tally_export_sent_total)
python3 -c "print('backlog: %.0f bytes queued; %.0f samples delivered in %.2f s: %.0f samples/s' % ($queued, $after - $before, $t1 - $t0, ($after - $before) / ($t1 - $t0)))"
grep -c "out of order" "$WORK/prometheus.log" | sed 's/^/prometheus out-of-order lines: /' || true
