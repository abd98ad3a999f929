"""Medians of a StatsD harness CSV with a feature off and on, and their ratio.

usage: python3 loadtest/bench/onoff.py CSV NAME FEATURE
The rows' server column is NAME-FEATURE-off or NAME-FEATURE-on (the scripts set GATEWAY_NAME so);
prints accepted lines per second at 100 and 100 000 series, each the median of its runs.
"""
import csv
import statistics
import sys

path, name, feature = sys.argv[1:4]
rows = list(csv.DictReader(open(path)))


def median(server, series):
    v = [float(r["accepted_lps"]) for r in rows if r["server"] == server and r["series"] == series]
    return (statistics.median(v), len(v)) if v else (float("nan"), 0)


print("series   %-21s %-21s on/off" % (feature + " off", feature + " on"))
for series in ("100", "100000"):
    (off, n) = median("%s-%s-off" % (name, feature), series)
    (on, m) = median("%s-%s-on" % (name, feature), series)
    print("%-8s %6.2f M (%d runs)    %6.2f M (%d runs)    %.3f" % (series, off / 1e6, n, on / 1e6, m, on / off))
