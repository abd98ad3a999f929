#!/usr/bin/env bash
# StatsD ingest with a 1 000-rule statsd_exporter mapping file and without one, in one sitting: the
# StatsD harness's full-speed runs (20 lines per packet, counters, 100 and 100 000 series) against
# the packaged gateway without --statsd-mapping-config ("off") and with a generated file ("on") of
# 990 glob rules and 10 regex rules that the harness's names (bench.c.s<id>) do not hit, and one
# glob rule, the last, that maps every one of them (bench_c{series="s<id>"}), in turns, RUNS rounds
# of SECONDS each. Prints the medians and the on/off ratio.
#   STATSD_HARNESS=<dir of run.sh> loadtest/bench/statsd-mapping-check.sh [RUNS] [SECONDS] [CSV]
set -euo pipefail
: "${STATSD_HARNESS:?set STATSD_HARNESS to the directory of the StatsD harness (run.sh)}"
RUNS=${1:-3}; SECONDS_PER_RUN=${2:-10}
HOME_DIR=$(cd "$(dirname "$0")/../.." && pwd)
CSV=${3:-$(mktemp -t statsd-mapping.XXXXXX.csv)}
JAR=$HOME_DIR/gateway/target/tally.jar
[ -f "$JAR" ] || { echo "no gateway/target/tally.jar: build it first" >&2; exit 1; }
WORK=$(mktemp -d -t statsd-mapping.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
MAPPING=$WORK/mapping.yml
python3 - "$MAPPING" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("mappings:\n")
    for i in range(990):
        f.write('- match: "svc%d.*.*.requests"\n  name: "svc%d_requests_total"\n'
                '  labels:\n    route: "$1"\n    code: "$2"\n' % (i, i))
    for i in range(10):
        f.write("- match: 'job%d\\.(\\w+)\\.duration'\n  match_type: regex\n"
                '  name: "job%d_duration_seconds"\n  labels:\n    step: "$1"\n' % (i, i))
    f.write('- match: "bench.*.*"\n  name: "bench_${1}"\n  labels:\n    series: "$2"\n')
PY
REV=$(git -C "$HOME_DIR" rev-parse --short HEAD 2>/dev/null || echo local)
BASE="java -Xms1g -Xmx1g -jar $JAR --statsd-port \$BENCH_PORT --http-port \$GATEWAY_ADMIN_PORT --bind 127.0.0.1 --otlp-grpc-port 0 --otlp-http-port 0 --data-dir $WORK/data"
for _ in $(seq 1 "$RUNS"); do
  rm -rf "$WORK/data"
  GATEWAY_CMD="$BASE" GATEWAY_NAME="tally-$REV-mapping-off" \
    "$STATSD_HARNESS/run.sh" -s java-gateway -l 20 -k 100,100000 -r max -d "$SECONDS_PER_RUN" \
    -n 1 -o "$CSV" > /dev/null
  rm -rf "$WORK/data"
  GATEWAY_CMD="$BASE --statsd-mapping-config $MAPPING" GATEWAY_NAME="tally-$REV-mapping-on" \
    "$STATSD_HARNESS/run.sh" -s java-gateway -l 20 -k 100,100000 -r max -d "$SECONDS_PER_RUN" \
    -n 1 -o "$CSV" > /dev/null
done
python3 "$HOME_DIR/loadtest/bench/onoff.py" "$CSV" "tally-$REV" mapping
echo "rows: $CSV"
