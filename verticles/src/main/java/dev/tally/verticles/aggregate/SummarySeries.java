package dev.tally.verticles.aggregate;

import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.protocol.otlp.SummaryPoint;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.stats.DropReason;

/** An OTLP Summary: the last point's quantiles, sum and count, as the source computed them. */
final class SummarySeries extends Series {
  private SummaryPoint last;
  private boolean changed;

  SummarySeries(SeriesName name) {
    super(name);
  }

  @Override
  DropReason record(OtlpPoint point) {
    SummaryPoint p = (SummaryPoint) point;
    if (last != null && p.timeNanos() != 0 && p.timeNanos() < last.timeNanos()) {
      return DropReason.STALE; // older than the point shown: a late retry
    }
    last = p;
    changed = true;
    return null;
  }

  @Override
  SeriesSnapshot tick(long tickMillis, double tickSeconds) {
    if (changed || snapshot == null) {
      // the point's arrays are never changed, so the snapshot may share them
      snapshot =
          SeriesSnapshot.quantiles(
              name,
              tickMillis,
              0,
              last == null ? 0 : last.count(),
              last == null ? 0 : last.sum(),
              last == null ? new double[0] : last.quantiles(),
              last == null ? null : last.values());
      changed = false;
    }
    return snapshot;
  }
}
