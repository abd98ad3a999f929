package dev.tally.verticles.cluster;

import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.OtlpPoint;
import java.util.ArrayList;
import java.util.List;

/** An OTLP series' points since the last drain, as they came: the owner records them. */
public final class HeldPoints extends Interval {
  private List<OtlpPoint> points;

  public void add(OtlpPoint point) {
    if (points == null) {
      points = new ArrayList<>(2);
    }
    points.add(point);
  }

  @Override
  public SeriesDelta drain(SeriesKey key, String help) {
    List<OtlpPoint> p = points;
    points = null;
    return p == null ? null : SeriesDelta.points(key, help, p);
  }
}
