#!/usr/bin/env bash
# Where the CPU goes when 100 000 StatsD series (50 000 lines/s) are exported every second (the
# least interval) to a real Prometheus on the same machine: Prometheus's share of a core and each
# kind of Tally thread's, over 30 s after 20 s of warm-up.
#   loadtest/bench/export-cpu.sh   (needs Debian's prometheus, curl, python3)
set -euo pipefail
HOME_DIR=$(cd "$(dirname "$0")/../.." && pwd)
JAR=$HOME_DIR/gateway/target/tally.jar
WORK=$(mktemp -d)
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PP=$(free); HP=$(free); SP=$(free)
printf 'global:\n  scrape_interval: 1m\n' > $WORK/p.yml
prometheus --config.file=$WORK/p.yml --storage.tsdb.path=$WORK/prom --web.listen-address=127.0.0.1:$PP --web.enable-remote-write-receiver > $WORK/p.log 2>&1 &
PROM=$!
sleep 3
java -Xms1g -Xmx1g -jar $JAR --bind 127.0.0.1 --http-port $HP --statsd-port $SP --otlp-grpc-port 0 --otlp-http-port 0 --statsd-warm-up 0s --export-remote-write http://127.0.0.1:$PP/api/v1/write --export-interval 1s --data-dir $WORK/data > $WORK/t.log 2>&1 &
TALLY=$!
python3 - $SP <<'PY' > /dev/null 2>&1 &
import socket, sys, time
port = int(sys.argv[1]); s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
packets = ["".join("cpu.series.%d:1|c\n" % j for j in range(i, i + 20)).encode() for i in range(0, 100000, 20)]
while True:
    t = time.time()
    for p in packets: s.sendto(p, ("127.0.0.1", port))
    time.sleep(max(0, 2 - (time.time() - t)))
PY
SENDER=$!
trap 'kill $SENDER $TALLY $PROM 2>/dev/null; wait 2>/dev/null; rm -rf $WORK' EXIT
sleep 20
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
threads() { for t in /proc/$TALLY/task/*; do echo "$(cat $t/comm) $(awk '{print $14+$15}' $t/stat)"; done | awk '{n=$1; sub(/-[0-9]+$/,"",n); a[n]+=$2} END {for (k in a) print k, a[k]}' | sort; }
p0=$(ticks $PROM); threads > $WORK/t0; sleep 30; p1=$(ticks $PROM); threads > $WORK/t1
HZ=$(getconf CLK_TCK)
echo "prometheus: $(( (p1 - p0) * 100 / HZ / 30 ))% of a core"
join $WORK/t0 $WORK/t1 | awk -v hz=$HZ '{d=($3-$2)*100/hz/30; if (d >= 1) printf "tally %s: %.0f%% of a core\n", $1, d}'
curl -s http://127.0.0.1:$HP/metrics | grep -E "^tally_export_sent_total"
