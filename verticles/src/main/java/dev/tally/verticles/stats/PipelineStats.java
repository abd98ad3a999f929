package dev.tally.verticles.stats;

import dev.tally.protocol.model.RejectReason;
import dev.tally.protocol.otlp.OtlpRejectReason;
import dev.tally.protocol.otlp.OtlpRequestError;
import dev.tally.protocol.otlp.OtlpSignal;
import dev.tally.protocol.otlp.Rejections;
import dev.tally.protocol.statsd.ParseStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The pipeline's own counters, written by ingest threads and shards, read by {@code /health} and,
 * as meters ({@link #bindTo}), by {@code /metrics}. Thread-safe; every read is current.
 */
public final class PipelineStats implements ParseStats.Target, MeterBinder {
  private static final RejectReason[] REASONS = RejectReason.values();
  private static final DropReason[] DROPS = DropReason.values();
  private static final int TRANSPORTS = OtlpTransport.values().length;
  private static final OtlpRejectReason[] OTLP_REASONS = OtlpRejectReason.values();
  private static final OtlpRequestError[] OTLP_ERRORS = OtlpRequestError.values();

  private final LongAdder statsdPackets = new LongAdder();
  private static final StatsdTransport[] STATSD_TRANSPORTS = StatsdTransport.values();
  private final LongAdder[] transportAccepted = adders(STATSD_TRANSPORTS.length);
  private final LongAdder[] transportRejected = adders(STATSD_TRANSPORTS.length);
  private final LongAdder[] transportBytes = adders(STATSD_TRANSPORTS.length);

  private final LongAdder[] statsdPacketsDropped = adders(PacketDropReason.values().length);
  private final LongAdder statsdLines = new LongAdder();
  private final LongAdder statsdSamples = new LongAdder();
  private final LongAdder statsdEvents = new LongAdder();
  private final LongAdder statsdServiceChecks = new LongAdder();
  private final LongAdder[] statsdRejected = adders(REASONS.length);
  private final LongAdder[] dropped = adders(DROPS.length);
  private final LongAdder clamped = new LongAdder();
  private final LongAdder tickFailures = new LongAdder();
  private final LongAdder aliasesRefused = new LongAdder();
  private final LongAdder overflow = new LongAdder();
  private final AtomicInteger seriesActive = new AtomicInteger();
  private static final int SIGNALS = OtlpSignal.values().length;
  private final LongAdder[] otlpAccepted = adders(SIGNALS * TRANSPORTS);
  private final LongAdder[] otlpRejected = adders(SIGNALS * TRANSPORTS * OTLP_REASONS.length);
  private final LongAdder[] otlpRequestsRejected = adders(TRANSPORTS * OTLP_ERRORS.length);

  @Override
  public void add(long acceptedLines, long samples, long events, long serviceChecks) {
    statsdLines.add(acceptedLines);
    statsdSamples.add(samples);
    statsdEvents.add(events);
    statsdServiceChecks.add(serviceChecks);
  }

  @Override
  public void addRejected(RejectReason reason, long lines) {
    statsdRejected[reason.ordinal()].add(lines);
  }

  /**
   * Adds a read turn of one StatsD transport: lines accepted and rejected (also counted, with
   * reasons, over all transports) and bytes read.
   */
  public void addTransport(StatsdTransport transport, long accepted, long rejected, long bytes) {
    int t = transport.ordinal();
    transportAccepted[t].add(accepted);
    transportRejected[t].add(rejected);
    transportBytes[t].add(bytes);
  }

  /** Lines accepted from {@code transport}. */
  public long transportAccepted(StatsdTransport transport) {
    return transportAccepted[transport.ordinal()].sum();
  }

  /** Lines rejected from {@code transport}. */
  public long transportRejected(StatsdTransport transport) {
    return transportRejected[transport.ordinal()].sum();
  }

  public void addPackets(long packets) {
    statsdPackets.add(packets);
  }

  /** A datagram dropped whole before parsing (it is also counted as received). */
  public void addPacketDropped(PacketDropReason reason) {
    statsdPacketsDropped[reason.ordinal()].increment();
  }

  public long statsdPacketsDropped(PacketDropReason reason) {
    return statsdPacketsDropped[reason.ordinal()].sum();
  }

  public void addDropped(DropReason reason, long samples) {
    dropped[reason.ordinal()].add(samples);
  }

  public void addClamped(long values) {
    clamped.add(values);
  }

  public void addOverflow(long samples) {
    overflow.add(samples);
  }

  /** Counts the points of one OTLP metrics request: accepted, and rejected by reason. */
  public void addOtlp(OtlpTransport transport, long accepted, Rejections rejections) {
    addOtlp(OtlpSignal.METRICS, transport, accepted, rejections);
  }

  /**
   * Counts the items (points, spans, log records) of one OTLP request: accepted, and rejected by
   * reason.
   */
  public void addOtlp(
      OtlpSignal signal, OtlpTransport transport, long accepted, Rejections rejections) {
    otlpAccepted[signal.ordinal() * TRANSPORTS + transport.ordinal()].add(accepted);
    if (rejections.points() > 0) {
      for (OtlpRejectReason r : OTLP_REASONS) {
        long n = rejections.points(r);
        if (n > 0) {
          addOtlpRejected(signal, transport, r, n);
        }
      }
    }
  }

  public void addOtlpRejected(OtlpTransport transport, OtlpRejectReason reason, long points) {
    addOtlpRejected(OtlpSignal.METRICS, transport, reason, points);
  }

  public void addOtlpRejected(
      OtlpSignal signal, OtlpTransport transport, OtlpRejectReason reason, long items) {
    otlpRejected[rejectedIndex(signal, transport, reason)].add(items);
  }

  private static int rejectedIndex(
      OtlpSignal signal, OtlpTransport transport, OtlpRejectReason reason) {
    return (signal.ordinal() * TRANSPORTS + transport.ordinal()) * OTLP_REASONS.length
        + reason.ordinal();
  }

  /** Counts an OTLP request refused as a whole. */
  public void addOtlpRequestRejected(OtlpTransport transport, OtlpRequestError error) {
    otlpRequestsRejected[transport.ordinal() * OTLP_ERRORS.length + error.ordinal()].increment();
  }

  public long otlpAccepted(OtlpTransport transport) {
    return otlpAccepted(OtlpSignal.METRICS, transport);
  }

  public long otlpAccepted(OtlpSignal signal, OtlpTransport transport) {
    return otlpAccepted[signal.ordinal() * TRANSPORTS + transport.ordinal()].sum();
  }

  public long otlpRejected(OtlpTransport transport, OtlpRejectReason reason) {
    return otlpRejected(OtlpSignal.METRICS, transport, reason);
  }

  public long otlpRejected(OtlpSignal signal, OtlpTransport transport, OtlpRejectReason reason) {
    return otlpRejected[rejectedIndex(signal, transport, reason)].sum();
  }

  public long otlpRequestsRejected(OtlpTransport transport, OtlpRequestError error) {
    return otlpRequestsRejected[transport.ordinal() * OTLP_ERRORS.length + error.ordinal()].sum();
  }

  /** The live count of series over every shard; shards add and remove. */
  public AtomicInteger seriesActive() {
    return seriesActive;
  }

  public long statsdPackets() {
    return statsdPackets.sum();
  }

  public long statsdLinesAccepted() {
    return statsdLines.sum();
  }

  public long statsdSamples() {
    return statsdSamples.sum();
  }

  public long statsdEvents() {
    return statsdEvents.sum();
  }

  public long statsdServiceChecks() {
    return statsdServiceChecks.sum();
  }

  public long statsdRejected(RejectReason reason) {
    return statsdRejected[reason.ordinal()].sum();
  }

  public long dropped(DropReason reason) {
    return dropped[reason.ordinal()].sum();
  }

  /** Dropped samples over every reason. */
  public long droppedTotal() {
    long sum = 0;
    for (LongAdder a : dropped) {
      sum += a.sum();
    }
    return sum;
  }

  public long clamped() {
    return clamped.sum();
  }

  /**
   * Counts a sample whose spelling of its series key was not remembered (the series had enough).
   */
  public void addAliasRefused() {
    aliasesRefused.increment();
  }

  /** Samples looked up by their canonical key because their series had all its spellings. */
  public long aliasesRefused() {
    return aliasesRefused.sum();
  }

  /** Counts a failure contained in a shard's tick (a series removed, or a whole tick lost). */
  public void addTickFailure() {
    tickFailures.increment();
  }

  /** Failures contained in the shards' ticks: bugs, each logged (at most once a minute). */
  public long tickFailures() {
    return tickFailures.sum();
  }

  public long overflow() {
    return overflow.sum();
  }

  @Override
  public void bindTo(MeterRegistry r) {
    SelfMeters.counter(
        r, "tally_statsd_packets_received_total", "StatsD datagrams received.", statsdPackets);
    SelfMeters.counter(
        r,
        "tally_statsd_lines_accepted_total",
        "StatsD lines accepted: metric lines, events and service checks.",
        statsdLines);
    SelfMeters.counters(
        r,
        "tally_statsd_lines_rejected_total",
        "StatsD lines skipped, by reason.",
        "reason",
        REASONS,
        RejectReason::label,
        this::statsdRejected);
    for (StatsdTransport t : STATSD_TRANSPORTS) {
      String help =
          "StatsD lines by transport, accepted or rejected (their reasons are in tally_statsd_lines_rejected_total).";
      SelfMeters.counter(
          r,
          "tally_statsd_transport_lines_total",
          help,
          transportAccepted[t.ordinal()],
          LongAdder::sum,
          "transport",
          t.label(),
          "result",
          "accepted");
      SelfMeters.counter(
          r,
          "tally_statsd_transport_lines_total",
          help,
          transportRejected[t.ordinal()],
          LongAdder::sum,
          "transport",
          t.label(),
          "result",
          "rejected");
      SelfMeters.counter(
          r,
          "tally_statsd_transport_bytes_total",
          "StatsD bytes read, by transport.",
          transportBytes[t.ordinal()],
          LongAdder::sum,
          "transport",
          t.label());
    }
    SelfMeters.counter(
        r,
        "tally_statsd_samples_total",
        "StatsD samples parsed (a multi-value line gives several).",
        statsdSamples);
    String events = "StatsD events and service checks accepted.";
    SelfMeters.counter(
        r, "tally_statsd_events_total", events, statsdEvents, LongAdder::sum, "type", "event");
    SelfMeters.counter(
        r,
        "tally_statsd_events_total",
        events,
        statsdServiceChecks,
        LongAdder::sum,
        "type",
        "service_check");
    SelfMeters.counters(
        r,
        "tally_statsd_packets_dropped_total",
        "StatsD datagrams dropped whole before parsing, by reason.",
        "reason",
        PacketDropReason.values(),
        PacketDropReason::label,
        this::statsdPacketsDropped);
    bindOtlp(r);
    SelfMeters.counters(
        r,
        "tally_dropped_samples_total",
        "Accepted samples that were not aggregated, by reason.",
        "reason",
        DROPS,
        DropReason::label,
        this::dropped);
    SelfMeters.counter(
        r,
        "tally_clamped_values_total",
        "Timer, distribution and exponential-histogram values outside the histogram range (negative ones included), clamped to it.",
        clamped);
    SelfMeters.counter(
        r,
        "tally_series_aliases_refused_total",
        "Samples whose spelling of a series key (tag order, a.b against a_b) was not remembered because the series already had 16: each is looked up by its canonical key.",
        aliasesRefused);
    SelfMeters.counter(
        r,
        "tally_shard_tick_failures_total",
        "Failures contained in the aggregation shards' ticks (a series removed, or a tick lost): bugs, logged at most once a minute.",
        tickFailures);
    SelfMeters.counter(
        r,
        "tally_series_overflow_samples_total",
        "Samples sent to an otel_metric_overflow series because the series limit or the metric's limit was reached.",
        overflow);
    SelfMeters.gauge(
        r,
        "tally_series_active",
        "Series held by the aggregation shards.",
        seriesActive,
        AtomicInteger::get);
  }

  /**
   * The OTLP items accepted and rejected by signal, transport and reason; whole requests refused.
   */
  private void bindOtlp(MeterRegistry r) {
    for (OtlpSignal s : OtlpSignal.values()) {
      String what =
          s == OtlpSignal.METRICS
              ? "data points"
              : s == OtlpSignal.TRACES ? "spans" : "log records";
      for (OtlpTransport t : OtlpTransport.values()) {
        SelfMeters.counter(
            r,
            "tally_otlp_" + s.items() + "_accepted_total",
            "OTLP " + what + " accepted, by transport.",
            this,
            x -> x.otlpAccepted(s, t),
            "transport",
            t.label());
        for (OtlpRejectReason reason : OTLP_REASONS) {
          if (reason.appliesTo(s)) {
            SelfMeters.counter(
                r,
                "tally_otlp_" + s.items() + "_rejected_total",
                "OTLP "
                    + what
                    + " rejected, by transport and reason (overloaded: refused for a retry).",
                this,
                x -> x.otlpRejected(s, t, reason),
                "transport",
                t.label(),
                "reason",
                reason.label());
          }
        }
      }
    }
    for (OtlpTransport t : OtlpTransport.values()) {
      for (OtlpRequestError e : OTLP_ERRORS) {
        if (t == OtlpTransport.GRPC && e == OtlpRequestError.UNSUPPORTED_MEDIA_TYPE) {
          continue; // HTTP only
        }
        SelfMeters.counter(
            r,
            "tally_otlp_requests_rejected_total",
            "OTLP requests refused as a whole, by transport and reason.",
            this,
            x -> x.otlpRequestsRejected(t, e),
            "transport",
            t.label(),
            "reason",
            e.label());
      }
    }
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }
}
