#!/bin/bash
# usage: STATSD_HARNESS=DIR loadtest/bench/statsd-timeline.sh [LINES_PER_SECOND] [SERIES] [SECONDS]
#
# When does a paced run lose datagrams: while its series are new, or all along? Starts the jar in
# gateway/target (build it first; it builds nothing) on free local ports, waits until its StatsD
# port is open, then sends counters with the harness's sender (DIR holds sender.c; compiled into a
# temporary directory) at LINES_PER_SECOND (1 500 000), 20 lines a packet, over SERIES (100 000)
# series, all new to the gateway, for SECONDS (20). Every 0.2 s it prints the kernel's UDP receive
# buffer drops of that period (the host's RcvbufErrors: run nothing else that receives UDP), and at
# the end the sender's summary and the gateway's own counts.
set -euo pipefail
: "${STATSD_HARNESS:?set STATSD_HARNESS to the directory of the StatsD harness (sender.c)}"
RATE=${1:-1500000}; SERIES=${2:-100000}; SECONDS_TO_SEND=${3:-20}
HOME_DIR=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$HOME_DIR/gateway/target/tally.jar
[ -f "$JAR" ] || { echo "no gateway/target/tally.jar: build it first" >&2; exit 1; }
WORK=$(mktemp -d -t statsd-timeline.XXXXXX)
gcc -O2 -o "$WORK/sender" "$STATSD_HARNESS/sender.c" -lm
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UDP_PORT=$(free_port); HTTP_PORT=$(free_port)
java -Xms1g -Xmx1g -jar "$JAR" --bind 127.0.0.1 --statsd-port "$UDP_PORT" \
  --http-port "$HTTP_PORT" --otlp-grpc-port 0 --otlp-http-port 0 > "$WORK/gateway.log" 2>&1 &
GATEWAY=$!
trap 'kill $GATEWAY 2>/dev/null; wait $GATEWAY 2>/dev/null; rm -rf "$WORK"' EXIT
until grep -q 'tally listening' "$WORK/gateway.log"; do
  kill -0 $GATEWAY 2>/dev/null || { cat "$WORK/gateway.log" >&2; exit 1; }
  sleep 0.2
done
rcvbuf_errors() { awk '/^Udp:/ { getline; print $6; exit }' /proc/net/snmp; }
"$WORK/sender" -p "$UDP_PORT" -l 20 -k "$SERIES" -r $((RATE / 20)) -d "$SECONDS_TO_SEND" \
  -n 2000000000 > "$WORK/sender.out" &
SENDER=$!
start=$(date +%s%N); previous=$(rcvbuf_errors)
echo "seconds  kernel drops (packets of 20 lines)"
while kill -0 $SENDER 2>/dev/null; do
  sleep 0.2
  now=$(rcvbuf_errors)
  printf '%6.1f   %d\n' "$(( ($(date +%s%N) - start) / 1000000 ))e-3" $((now - previous))
  previous=$now
done
cat "$WORK/sender.out"
curl -s "http://127.0.0.1:$HTTP_PORT/metrics" \
  | grep -E '^tally_statsd_(packets_received|lines_accepted|kernel_drops)_total'
