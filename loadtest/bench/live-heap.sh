#!/bin/bash
# usage: loadtest/bench/live-heap.sh PID [MINUTES] [HTTP_PORT]
# Once a minute for MINUTES (10) minutes: reads the gateway's series count, its live-heap estimate
# and its heap after the latest collection, then asks the JVM for a full collection (jcmd GC.run)
# and reads the heap after it, which is the live heap. Prints one line a minute and, at the end,
# the least-squares slope of the live heap after the first minute, in MiB per hour. The full
# collections are the benchmark's, not the gateway's: it never forces one itself.
set -euo pipefail
PID=$1; MINUTES=${2:-10}; PORT=${3:-8080}
read_metrics() { curl -s -m 30 "http://127.0.0.1:$PORT/metrics" | awk -v want="$1" '
  $1 == "tally_series_active" { s = $2 } $1 == "tally_memory_live_estimate_bytes" { e = $2 }
  $1 == "tally_memory_after_gc_bytes" { r = $2 }
  END { if (want == "all") printf "%d %d %d\n", s, e, r; else printf "%d\n", r }'; }
echo "minute series estimate_mib after_gc_mib live_mib"
ROWS=""
for m in $(seq 1 "$MINUTES"); do
  sleep 60
  read -r series estimate raw < <(read_metrics all)
  jcmd "$PID" GC.run > /dev/null
  live=""
  for _ in $(seq 1 50); do # the collection's notification reaches the gateway within moments
    live=$(read_metrics live)
    [ "$live" != "$raw" ] && break
    sleep 0.1
  done
  echo "$m $series $((estimate >> 20)) $((raw >> 20)) $((live >> 20))"
  ROWS="$ROWS $m:$live"
done
python3 - "$ROWS" <<'PY'
import sys
pts = [(int(m) / 60.0, int(b) / 2**20) for m, b in (r.split(':') for r in sys.argv[1].split()) if int(m) > 1]
n = len(pts)
if n < 2:
    print("slope: n/a (too short)")
else:
    sx = sum(x for x, _ in pts); sy = sum(y for _, y in pts)
    sxx = sum(x * x for x, _ in pts); sxy = sum(x * y for x, y in pts)
    print("live heap slope after the first minute: %.1f MiB/h" % ((n * sxy - sx * sy) / (n * sxx - sx * sx)))
PY
