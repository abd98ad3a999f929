package dev.tally.protocol.statsd;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.RejectReason;
import dev.tally.protocol.model.SeriesKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A sink that keeps copies of what the parser reports. */
final class RecordingSink implements StatsdSink {
  final List<Parsed> samples = new ArrayList<>();
  final List<String> rejected = new ArrayList<>();
  final List<String> events = new ArrayList<>();
  final List<String> serviceChecks = new ArrayList<>();

  @Override
  public void sample(StatsdSample s) {
    byte[] raw = new byte[StatsdKeys.rawKeyLength(s)];
    StatsdKeys.writeRawKey(s, raw, 0);
    samples.add(
        new Parsed(
            StatsdKeys.seriesKey(raw, 0, raw.length),
            s.kind(),
            s.value(),
            s.delta(),
            s.rate(),
            new String(
                s.bytes(), s.memberFrom(), s.memberTo() - s.memberFrom(), StandardCharsets.UTF_8),
            s.routingHash()));
  }

  @Override
  public void rejected(RejectReason reason, byte[] bytes, int from, int to) {
    rejected.add(reason.label() + " " + new String(bytes, from, to - from, StandardCharsets.UTF_8));
  }

  @Override
  public void event(byte[] bytes, int from, int to) {
    events.add(new String(bytes, from, to - from, StandardCharsets.UTF_8));
  }

  @Override
  public void serviceCheck(byte[] bytes, int from, int to) {
    serviceChecks.add(new String(bytes, from, to - from, StandardCharsets.UTF_8));
  }

  static final class Parsed {
    final SeriesKey key;
    final MetricKind kind;
    final double value;
    final boolean delta;
    final double rate;
    final String member;
    final int hash;

    Parsed(
        SeriesKey key,
        MetricKind kind,
        double value,
        boolean delta,
        double rate,
        String member,
        int hash) {
      this.key = key;
      this.kind = kind;
      this.value = value;
      this.delta = delta;
      this.rate = rate;
      this.member = member;
      this.hash = hash;
    }
  }
}
