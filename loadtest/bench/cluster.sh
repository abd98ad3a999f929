#!/bin/bash
# usage: loadtest/bench/cluster.sh NODES RATE_TOTAL — starts NODES gateways (clustered if >1), blasts RATE_TOTAL lines/s split over them for 20 s
N=$1; RATE=$2; cd "$(dirname "$0")/../.."
M=""; for i in $(seq 1 $N); do M="$M,127.0.0.1:1570$i"; done; M=${M#,}
for i in $(seq 1 $N); do
  C=""; [ $N -gt 1 ] && C="--cluster --cluster-port 1570$i --cluster-members $M"
  java -Xmx1g -jar gateway/target/tally.jar --bind 127.0.0.1 --http-port 1808$i --statsd-port 1812$i --otlp-grpc-port 1431$i --otlp-http-port 1441$i $C > ${TMPDIR:-/tmp}/cb-node$i.log 2>&1 &
  PIDS="$PIDS $!" # only these are stopped at the end
done
for i in $(seq 1 $N); do for t in $(seq 1 60); do curl -s localhost:1808$i/api/cluster 2>/dev/null | grep -q "\"members\"" && break; sleep 1; done; done
if [ $N -gt 1 ]; then for t in $(seq 1 60); do c=$(curl -s localhost:18081/api/cluster | python3 -c "import json,sys; print(len(json.load(sys.stdin)['members']))"); [ "$c" = "$N" ] && break; sleep 1; done; fi
m(){ curl -s localhost:1808$1/metrics | awk -v k="$2" '$1==k{print $2}'; }
cpu0=0; for i in $(seq 1 $N); do cpu0=$(python3 -c "print($cpu0+$(m $i process_cpu_seconds_total))"); done
PER=$((RATE / N))
for i in $(seq 1 $N); do (java -jar loadtest/target/statsd-blaster.jar --port 1812$i --rate $PER --series 10000 --mix c=60,ms=30,g=5,s=5 --duration 20s --threads 1 --metrics http://127.0.0.1:1808$i/metrics > ${TMPDIR:-/tmp}/cb-blast$i.log 2>&1 &); done
sleep 25
cpu1=0; acc=0; lost=0; fwd=0
for i in $(seq 1 $N); do cpu1=$(python3 -c "print($cpu1+$(m $i process_cpu_seconds_total))"); acc=$(python3 -c "print($acc+$(m $i tally_statsd_lines_accepted_total))"); l=$(m $i tally_cluster_deltas_lost_total); f=$(m $i tally_cluster_deltas_sent_total); lost=$(python3 -c "print($lost+${l:-0})"); fwd=$(python3 -c "print($fwd+${f:-0})"); done
sent=0; for i in $(seq 1 $N); do s=$(grep -oE "sent [0-9,]+ lines" ${TMPDIR:-/tmp}/cb-blast$i.log | head -1 | tr -dc 0-9); sent=$((sent + ${s:-0})); done
python3 -c "print('nodes $N offered %d lines/s: sent %d, accepted %d (%.1f%%), gateway cpu %.1f s, %.2f cpu-s per M lines, deltas forwarded %d, lost %d' % ($RATE, $sent, $acc, 100.0*$acc/max(1,$sent), $cpu1-$cpu0, ($cpu1-$cpu0)/max(1,$acc)*1e6, $fwd, $lost))"
tail -2 ${TMPDIR:-/tmp}/cb-blast1.log
kill $PIDS; wait $PIDS 2>/dev/null
