#!/bin/bash
# usage: STATSD_HARNESS=DIR loadtest/bench/statsd-check.sh [RUNS] [SECONDS] [CSV]
#
# The check to run before submitting a change to the StatsD ingest or aggregation path. It builds
# nothing: it runs the StatsD UDP harness (DIR holds its run.sh; the development workspace has it)
# against the jar in gateway/target (build it first) and against the harness's raw sink, RUNS (3)
# times each for SECONDS (5) at 100 and 100 000 series (counters, 20 lines a packet, the sender at
# full speed), interleaved, then prints the medians of accepted lines per second and Tally's as a
# ratio of the sink's. Rows go to CSV (default: a temporary file, named at the end).
set -euo pipefail
: "${STATSD_HARNESS:?set STATSD_HARNESS to the directory of the StatsD harness (run.sh)}"
RUNS=${1:-3}; SECONDS_PER_RUN=${2:-5}
HOME_DIR=$(cd "$(dirname "$0")/../.." && pwd)
CSV=${3:-$(mktemp -t statsd-check.XXXXXX.csv)}
[ -f "$HOME_DIR/gateway/target/tally.jar" ] || { echo "no gateway/target/tally.jar: build it first" >&2; exit 1; }
NAME=tally-$(git -C "$HOME_DIR" rev-parse --short HEAD 2>/dev/null || echo local)
for _ in $(seq 1 "$RUNS"); do
  for server in raw-sink java-gateway; do
    TALLY_HOME=$HOME_DIR GATEWAY_NAME=$NAME "$STATSD_HARNESS/run.sh" -s "$server" -l 20 \
      -k 100,100000 -r max -d "$SECONDS_PER_RUN" -n 1 -o "$CSV" > /dev/null
  done
done
python3 - "$CSV" "$NAME" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def median(server, series):
    v = [float(r["accepted_lps"]) for r in rows if r["server"] == server and r["series"] == series]
    return (statistics.median(v), len(v)) if v else (float("nan"), 0)
print("series   %-18s raw sink           ratio" % sys.argv[2])
for series in ("100", "100000"):
    (t, n), (s, m) = median(sys.argv[2], series), median("raw-sink", series)
    print("%-8s %6.2f M (%d runs)    %6.2f M (%d runs)    %.3f" % (series, t / 1e6, n, s / 1e6, m, t / s))
PY
echo "rows: $CSV"
