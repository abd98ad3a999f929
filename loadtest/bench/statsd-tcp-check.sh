#!/usr/bin/env bash
# StatsD over TCP beside UDP, in one sitting, against the packaged gateway (build it first):
# each round runs the StatsD harness over UDP (full speed, 20 counter lines a packet) and then a TCP
# sender (loadtest/bench/tcp_sender.py: CONNECTIONS connections, each writing the same counter lines,
# bench.c.s<id>:1|c, as fast as TCP takes them) at 100 and 100 000 series for SECONDS each. TCP's rate
# is the gateway's tally_statsd_transport_lines_total{transport="tcp",result="accepted"} over the
# run, read while the senders write (TCP loses nothing: what is not read waits in the sender).
# Prints the medians of accepted lines per second.
#   STATSD_HARNESS=<dir of run.sh> loadtest/bench/statsd-tcp-check.sh [RUNS] [SECONDS] [CONNECTIONS] [CSV]
set -euo pipefail
: "${STATSD_HARNESS:?set STATSD_HARNESS to the directory of the StatsD harness (run.sh)}"
RUNS=${1:-3}; SECONDS_PER_RUN=${2:-10}; CONNECTIONS=${3:-2}
HOME_DIR=$(cd "$(dirname "$0")/../.." && pwd)
CSV=${4:-$(mktemp -t statsd-tcp.XXXXXX.csv)}
JAR=$HOME_DIR/gateway/target/tally.jar
[ -f "$JAR" ] || { echo "no gateway/target/tally.jar: build it first" >&2; exit 1; }
WORK=$(mktemp -d -t statsd-tcp.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
REV=$(git -C "$HOME_DIR" rev-parse --short HEAD 2>/dev/null || echo local)
HTTP=18181; TCP=18125
[ -f "$CSV" ] || echo "server,transport,series,accepted_lps" > "$CSV"
accepted() {
  curl -fs "http://127.0.0.1:$HTTP/metrics" |
    awk '$1 == "tally_statsd_transport_lines_total{result=\"accepted\",transport=\"tcp\"}" { print $2 }'
}
for _ in $(seq 1 "$RUNS"); do
  UDP_CSV=$WORK/udp.csv; rm -f "$UDP_CSV"
  GATEWAY_CMD="java -Xms1g -Xmx1g -jar $JAR --statsd-port \$BENCH_PORT --http-port \$GATEWAY_ADMIN_PORT --bind 127.0.0.1 --otlp-grpc-port 0 --otlp-http-port 0 --history false" \
    GATEWAY_NAME="tally-$REV" "$STATSD_HARNESS/run.sh" -s java-gateway -l 20 -k 100,100000 -r max \
    -d "$SECONDS_PER_RUN" -n 1 -o "$UDP_CSV" > /dev/null
  python3 - "$UDP_CSV" "$CSV" "tally-$REV" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
with open(sys.argv[2], "a") as out:
    for r in rows:
        out.write("%s,udp,%s,%s\n" % (sys.argv[3], r["series"], r["accepted_lps"]))
PY
  for series in 100 100000; do
    java -Xms1g -Xmx1g -jar "$JAR" --statsd-port 0 --statsd-tcp-port $TCP --http-port $HTTP \
      --bind 127.0.0.1 --otlp-grpc-port 0 --otlp-http-port 0 --history false > "$WORK/tally.log" 2>&1 &
    PID=$!
    until curl -fs "http://127.0.0.1:$HTTP/health/ready" > /dev/null 2>&1; do sleep 0.5; done
    python3 "$HOME_DIR/loadtest/bench/tcp_sender.py" 127.0.0.1 $TCP "$series" "$CONNECTIONS" \
      $((SECONDS_PER_RUN + 4)) > /dev/null &
    SENDER=$!
    sleep 2
    A=$(accepted); T0=$(date +%s.%N)
    sleep "$SECONDS_PER_RUN"
    B=$(accepted); T1=$(date +%s.%N)
    wait $SENDER || true
    kill $PID; wait $PID 2>/dev/null || true
    python3 -c "print('%s,tcp,%s,%.0f' % ('tally-$REV', '$series', ($B - $A) / ($T1 - $T0)))" >> "$CSV"
  done
done
python3 - "$CSV" "tally-$REV" <<'PY'
import csv, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["server"] == sys.argv[2]]
def median(transport, series):
    v = [float(r["accepted_lps"]) for r in rows if r["transport"] == transport and r["series"] == series]
    return (statistics.median(v), len(v)) if v else (float("nan"), 0)
print("series   UDP (harness)        TCP                  TCP/UDP")
for series in ("100", "100000"):
    (u, n), (t, m) = median("udp", series), median("tcp", series)
    print("%-8s %6.2f M (%d runs)    %6.2f M (%d runs)    %.3f" % (series, u / 1e6, n, t / 1e6, m, t / u))
PY
echo "rows: $CSV"
