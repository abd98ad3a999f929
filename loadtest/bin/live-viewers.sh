#!/usr/bin/env bash
# One sitting of the live-viewers benchmark (docs/BENCHMARKS.md): the gateway with a 256 MiB heap
# cap; SSE=1000 + WS=1000 viewers of 100 series for SECS=60 s in another JVM. Prints the viewers'
# report, the gateway's CPU over the measured run and its heap after a full GC.
# Build first: mvn -q -DskipTests package
set -euo pipefail
cd "$(dirname "$0")/../.."
SSE=${SSE:-1000}; WS=${WS:-1000}; SECS=${SECS:-60}
LOG=${TMPDIR:-/tmp}
java -Xmx256m -jar gateway/target/tally.jar --http-port 18080 --statsd-port 18125 \
  --otlp-grpc-port 0 --otlp-http-port 0 > "$LOG/tally-gw.log" 2>&1 &
GW=$!
trap 'kill $GW 2>/dev/null || true' EXIT
for i in $(seq 1 50); do grep -q 'tally listening' "$LOG/tally-gw.log" && break; sleep 0.2; done
TCK=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' /proc/$GW/stat; }
java -Xmx512m -cp loadtest/target/benchmarks.jar dev.tally.loadtest.viewers.LiveViewers \
  --port 18080 --statsd-port 18125 --sse "$SSE" --ws "$WS" --series 100 --seconds "$SECS" \
  > "$LOG/tally-viewers.log" 2>&1 &
VW=$!
sleep 5 # the viewers connect and take their backfill; the measured run starts with theirs
C0=$(cpu); T0=$(date +%s.%N)
wait $VW
C1=$(cpu); T1=$(date +%s.%N)
grep -v WARN "$LOG/tally-viewers.log" | tail -3
echo "gateway CPU: $(echo "($C1-$C0)/$TCK/($T1-$T0)*100" | bc -l | cut -c1-5) % of one core"
jcmd $GW GC.run >/dev/null
jcmd $GW GC.heap_info | head -2
