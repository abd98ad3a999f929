package dev.tally.verticles.aggregate;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.protocol.otlp.OtlpBatch;
import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.protocol.otlp.SpanMetrics;
import dev.tally.protocol.statsd.SampleBatch;
import dev.tally.protocol.statsd.StatsdKeys;
import dev.tally.protocol.statsd.mapping.Mapped;
import dev.tally.protocol.statsd.mapping.MappingCache;
import dev.tally.protocol.statsd.mapping.MappingRule;
import dev.tally.protocol.statsd.mapping.Mappings;
import dev.tally.protocol.statsd.mapping.MatchType;
import dev.tally.protocol.statsd.mapping.ObserverKind;
import dev.tally.verticles.cluster.DeltaBatch;
import dev.tally.verticles.cluster.Ownership;
import dev.tally.verticles.cluster.SeriesDelta;
import dev.tally.verticles.snapshot.ObserverType;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.stats.DropReason;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.stats.RateLimitedLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The aggregation logic of one shard, without Vert.x: {@link #accept} adds a batch, {@link #tick}
 * closes an interval and returns the shard's snapshot. Single thread: its verticle's event loop.
 *
 * <p>A sample finds its series by its raw key bytes ({@link RawKeyTable}), without decoding; a raw
 * key seen for the first time is decoded into its canonical {@link SeriesKey}, so that raw
 * spellings of one series share it. Beyond the global series limit, samples go to the series of the
 * same name and kind labelled {@code otel_metric_overflow="true"} (as the OpenTelemetry SDK does);
 * at most {@link #MAX_OVERFLOW_SERIES} such series per shard, beyond which samples are dropped.
 */
public final class ShardAggregator {
  /** The label of overflow series. */
  public static final String OVERFLOW_LABEL = "otel_metric_overflow";

  static final int MAX_OVERFLOW_SERIES = 1000;

  /**
   * Spellings of one series' key remembered (tag orders, {@code a.b} and {@code a_b}): each costs
   * its bytes, so a sender that spells one series in thousands of ways costs a bounded amount.
   */
  static final int MAX_ALIASES = 16;

  /**
   * Raw keys remembered per series made by a mapping rule: many names may map to one series (a rule
   * that keeps no capture of a component), and each beyond this is mapped at every line.
   */
  static final int MAX_MAPPED_ALIASES = 256;

  /**
   * Raw keys of dropped lines remembered per shard, so that a dropped name costs a look-up, not a
   * mapping: each costs its bytes, and beyond this many they are mapped again each time.
   */
  static final int MAX_DROPPED_KEYS = 10_000;

  /** The series a raw key dropped by its mapping rule names; never recorded into. */
  private static final Series DROPPED =
      new SetSeries(new SeriesName(SeriesKey.of(MetricKind.SET, "dropped", List.of()), null));

  /** What {@link #seriesFor} answers for a key whose name is Tally's own; never recorded into. */
  private static final Series RESERVED =
      new SetSeries(new SeriesName(SeriesKey.of(MetricKind.SET, "reserved", List.of()), null));

  private final int shard;
  private final AggregatorOptions options;
  private final SeriesLimiter limiter;
  private final PipelineStats stats;
  private RawKeyTable byRawKey = new RawKeyTable();
  private final Map<SeriesKey, Series> byKey = new HashMap<>();

  /**
   * Every series in the order of a tick ({@link SeriesSnapshot#ORDER}: family, labels, kind), kept
   * from tick to tick with the series made since ({@link #added}) sorted in: each shard's snapshot
   * comes sorted, and the tick of all shards merges them instead of sorting 100 000 series a tick.
   */
  private final List<Series> ordered = new ArrayList<>();

  private final List<Series> added = new ArrayList<>();
  private final ArrayDeque<Series> staleHistograms = new ArrayDeque<>();
  private final long rotateMillis;
  private long nextRotateMillis = Long.MIN_VALUE;
  private int overflowSeries;
  private final Ownership ownership; // null: this node owns every series

  /** The mapping file in force, as last read from the options; null for none. */
  private Mappings mappings;

  /** Its results by name, for this shard; null without a mapping file. */
  private MappingCache mapped;

  /** The layout of each rule's timers and distributions, made at the rule's first series. */
  private final Map<MappingRule, HistogramLayout> ruleLayouts = new IdentityHashMap<>();

  private int droppedKeys;

  /** The {@link Ownership#epoch()} of the owners the series were last checked against. */
  private Object ownershipEpoch;

  private final RateLimitedLog failures =
      new RateLimitedLog(Logger.getLogger(ShardAggregator.class.getName()), 60_000);

  public ShardAggregator(
      int shard, AggregatorOptions options, SeriesLimiter limiter, PipelineStats stats) {
    this(shard, options, limiter, stats, null);
  }

  /**
   * @param ownership which series this node owns, null for all; the others are drained to their
   *     owners at each tick instead of shown here (StatsD kinds as interval state, OTLP kinds as
   *     the points received)
   */
  public ShardAggregator(
      int shard,
      AggregatorOptions options,
      SeriesLimiter limiter,
      PipelineStats stats,
      Ownership ownership) {
    this.ownership = ownership;
    this.shard = shard;
    this.options = new AggregatorOptions(options);
    this.limiter = limiter;
    this.stats = stats;
    this.rotateMillis =
        Math.max(options.getTickMillis(), options.getWindowMillis() / HistogramSeries.PARTS);
  }

  /** Adds every sample of {@code batch}, received at {@code nowMillis} (wall clock). */
  public void accept(SampleBatch batch, long nowMillis) {
    followMappings();
    byte[] bytes = batch.bytes();
    for (int i = 0, n = batch.size(); i < n; i++) {
      Series series = byRawKey.get(bytes, batch.keyFrom(i), batch.keyLength(i), batch.hash(i));
      if (series == null) {
        series = resolve(batch, i, nowMillis);
        if (series == null) {
          continue; // counted by resolve
        }
      }
      if (series == DROPPED) {
        stats.addDropped(DropReason.MAPPING_DROP, 1);
        continue;
      }
      series.lastSeenMillis = nowMillis;
      if (!record(series, batch, i)) {
        stats.addDropped(DropReason.OVERFLOW, 1);
      }
    }
  }

  /**
   * Records sample {@code i} into its series. The StatsD kinds are told apart by type tests and
   * their methods called directly: through the virtual {@link Series#record(SampleBatch, int)}, a
   * shard that has seen three kinds or more makes a megamorphic call (a table look-up, nothing
   * inlined): HotSpot's {@code vtable stub} was 9.2 % of the shards' profile samples at 100 000
   * mixed series, and 0.03 % since.
   */
  private static boolean record(Series series, SampleBatch batch, int i) {
    if (series instanceof CounterSeries counter) {
      return counter.record(batch, i);
    }
    if (series instanceof HistogramSeries histogram) {
      return histogram.record(batch, i);
    }
    if (series instanceof GaugeSeries gauge) {
      return gauge.record(batch, i);
    }
    if (series instanceof SetSeries set) {
      return set.record(batch, i);
    }
    return series.record(batch, i);
  }

  /**
   * Adds every point of an OTLP {@code batch}, received at {@code nowMillis} (wall clock). OTLP
   * points carry their canonical key, so they are found by it, without raw-key aliases. Beyond the
   * series limit, points of cumulative streams are dropped rather than sent to an overflow series:
   * their increases cannot be told apart without the state of each stream, which the limit is there
   * to refuse.
   */
  public void accept(OtlpBatch batch, long nowMillis) {
    for (OtlpPoint point : batch.points()) {
      Series series =
          seriesFor(
              point.key(),
              point.help(),
              null,
              !point.cumulativeStream(),
              createdAt(point, nowMillis));
      if (series == RESERVED) {
        stats.addDropped(DropReason.RESERVED_NAME, 1);
        continue;
      }
      if (series == null) {
        stats.addDropped(DropReason.SERIES_LIMIT, 1);
        continue;
      }
      DropReason refused = series.accept(point);
      if (refused == null) {
        series.lastSeenMillis = nowMillis;
      } else {
        stats.addDropped(refused, 1);
      }
    }
  }

  /**
   * Closes the interval that ends at {@code tickMillis}: rotates the percentile windows when due,
   * recomputes up to the quantile budget of stale percentiles, removes series idle for longer than
   * the TTL, and returns every series' state.
   */
  private static final Comparator<Series> SERIES_ORDER =
      (a, b) -> SeriesName.ORDER.compare(a.name, b.name);

  public ShardSnapshot tick(long tickMillis) {
    if (nextRotateMillis == Long.MIN_VALUE) {
      nextRotateMillis = tickMillis + rotateMillis;
    } else if (tickMillis >= nextRotateMillis) {
      nextRotateMillis = tickMillis + rotateMillis;
      for (Series s : byKey.values()) {
        s.rotate();
      }
    }
    for (int budget = options.getQuantileBudget();
        budget > 0 && !staleHistograms.isEmpty();
        budget--) {
      Series h = staleHistograms.poll();
      h.stale = false;
      if (!h.removed) {
        h.computeQuantiles();
      }
    }
    double tickSeconds = options.getTickMillis() / 1000.0;
    long expireBefore = tickMillis - options.getSeriesTtlMillis();
    if (!added.isEmpty()) {
      ordered.addAll(added); // a sorted run and a short tail: the sort merges them
      added.clear();
      ordered.sort(SERIES_ORDER);
    }
    List<SeriesSnapshot> out = new ArrayList<>(byKey.size());
    List<SeriesDelta> outgoing = new ArrayList<>();
    Object epoch = ownership == null ? null : ownership.epoch();
    boolean ownersChanged = epoch != ownershipEpoch;
    ownershipEpoch = epoch;
    int kept = 0; // the series that stay are moved down in place
    RuntimeException failure = null;
    for (int i = 0, n = ordered.size(); i < n; i++) {
      Series s = ordered.get(i);
      if (s.removed) {
        continue; // replaced when a reload changed what the mapping file makes of its key
      }
      try {
        if (s.lastSeenMillis < (s.ttlMillis < 0 ? expireBefore : tickMillis - s.ttlMillis)) {
          byKey.remove(s.key);
          remove(s);
          continue;
        }
        if (ownersChanged) {
          checkOwner(s);
        }
        if (s.forward != null) {
          SeriesDelta d = s.drain();
          if (d != null) {
            outgoing.add(d);
          }
        } else if (s.recorded || !s.key.kind().isOtlp()) {
          out.add(s.tickWithExemplars(tickMillis, tickSeconds));
        }
        s.pointsSinceTick = 0;
        ordered.set(kept++, s);
      } catch (RuntimeException e) {
        // a bug in one series must not stop the shard: the series goes, counted, the rest tick
        if (!s.removed) {
          if (byKey.get(s.key) == s) {
            byKey.remove(s.key);
          }
          remove(s);
        }
        stats.addTickFailure();
        failure = failure == null ? e : failure;
      }
    }
    ordered.subList(kept, ordered.size()).clear();
    if (failure != null) {
      failures.log(
          Level.SEVERE, () -> "shard " + shard + ": a series failed its tick; removed", failure);
    }
    return new ShardSnapshot(shard, tickMillis, out, outgoing);
  }

  /** Adds a series as if it had been made by a sample; for tests of faults. */
  void adopt(Series s) {
    put(s);
  }

  private void put(Series s) {
    byKey.put(s.key, s);
    added.add(s);
  }

  /** Starts or stops forwarding the series if its owner changed. */
  private void checkOwner(Series s) {
    boolean forward = !ownership.owns(s.key);
    if (forward && s.forward == null) {
      s.snapshot = null; // shown again only when owned again, from what it has then
      // timers' samples of this tick are in the window, OTLP points recorded: not sent
      stats.addDropped(DropReason.OWNER_CHANGED, s.startForwarding(true) + s.pointsSinceTick);
    } else if (!forward && s.forward != null) {
      s.owned();
    }
  }

  /**
   * Adds what other nodes gathered of series this node owns, received at {@code nowMillis}. A
   * series beyond the limits goes to its overflow series as local samples would.
   */
  public void accept(DeltaBatch batch, long nowMillis) {
    followMappings();
    for (SeriesDelta d : batch.deltas()) {
      List<OtlpPoint> points = d.points();
      // a StatsD series another node mapped comes by its mapped key alone: with a mapping file
      // every StatsD name is as written, and the rule unknown here, so the file's defaults apply
      MappingRule rule = mappings != null && !d.key().kind().isOtlp() ? mappings.defaults() : null;
      // as for local points, cumulative streams do not go to an overflow series
      Series series =
          seriesFor(
              d.key(),
              d.help(),
              rule,
              points == null || points.stream().noneMatch(OtlpPoint::cumulativeStream),
              nowMillis);
      if (series == null || series == RESERVED) {
        stats.addDropped(
            series == null ? DropReason.SERIES_LIMIT : DropReason.RESERVED_NAME,
            points == null ? 1 : points.size());
        continue;
      }
      series.lastSeenMillis = nowMillis;
      if (points == null) {
        series.merge(d);
        continue;
      }
      for (OtlpPoint p : points) {
        // a point older than the series' last is ignored, not counted: forwarded points arrive up
        // to a tick after the owner's own newer ones of a load-balanced stream, and a cumulative
        // point's increase is in the newer one
        if (series.accept(p) == DropReason.OVERFLOW) {
          stats.addDropped(DropReason.OVERFLOW, 1);
        }
      }
    }
  }

  /** Puts the mapping file the options hold in force, if it is another file than this shard's. */
  private void followMappings() {
    Mappings inForce = options.getStatsdMappings().get();
    if (inForce != mappings) {
      if (inForce != null && mappings != null && inForce.sameFile(mappings)) {
        mappings = inForce; // a reload read the same file again: what it maps is unchanged
      } else {
        useMappings(inForce);
      }
    }
  }

  /**
   * Puts another mapping file in force (null for none): every raw key is mapped anew, so the shard
   * forgets them all; the series made under the old file stay until they idle out.
   */
  private void useMappings(Mappings next) {
    mappings = next;
    mapped = next == null ? null : new MappingCache(next, MappingCache.DEFAULT_SIZE);
    ruleLayouts.clear();
    byRawKey = new RawKeyTable();
    droppedKeys = 0;
    for (Series s : byKey.values()) {
      s.clearAliases();
    }
  }

  /**
   * The series of a sample whose raw key is new; null, counted, if it may have none; {@link
   * #DROPPED} if its mapping rule drops it.
   */
  private Series resolve(SampleBatch batch, int i, long nowMillis) {
    byte[] bytes = batch.bytes();
    SeriesKey key;
    MappingRule rule = null;
    if (mapped == null) {
      key = StatsdKeys.seriesKey(bytes, batch.keyFrom(i), batch.keyLength(i));
    } else {
      StatsdKeys.Decoded raw = StatsdKeys.decode(bytes, batch.keyFrom(i), batch.keyLength(i));
      Mapped m = mapped.map(raw.name(), MatchType.of(raw.kind()));
      if (m.rule().drop()) { // before the name, as statsd_exporter: a drop rule's name is not used
        if (droppedKeys >= MAX_DROPPED_KEYS) {
          stats.addDropped(DropReason.MAPPING_DROP, 1);
          return null;
        }
        droppedKeys++;
        byRawKey.put(
            Arrays.copyOfRange(bytes, batch.keyFrom(i), batch.keyFrom(i) + batch.keyLength(i)),
            batch.hash(i),
            DROPPED);
        return DROPPED; // counted by the caller
      }
      if (m.name().isEmpty()) {
        stats.addDropped(DropReason.EMPTY_METRIC_NAME, 1);
        return null;
      }
      rule = m.rule();
      // ms, h and d of one name are one observer, as in statsd_exporter: a timer (in seconds)
      MetricKind kind = raw.kind() == MetricKind.DISTRIBUTION ? MetricKind.TIMER : raw.kind();
      key = SeriesKey.ofExactName(kind, m.name(), m.labelsWith(raw.labels()));
    }
    Series existing = byKey.get(key);
    if (existing != null && !existing.overflow && !fits(existing, key, rule)) {
      // made under another mapping file (or none): its name, layout or units are not this one's
      byKey.remove(existing.key);
      remove(existing);
    }
    Series series = seriesFor(key, rule, nowMillis);
    if (series == RESERVED) {
      stats.addDropped(DropReason.RESERVED_NAME, 1);
      return null; // no alias: looked up again each time, so memory stays bounded
    }
    if (series == null) {
      stats.addDropped(DropReason.SERIES_LIMIT, 1);
      return null;
    }
    if (series.overflow) {
      return series;
    }
    // the mapping file in force decides the idle time, also of a series made before a reload
    series.ttlMillis = ttlOf(rule);
    if (series.aliasCount() >= (rule == null ? MAX_ALIASES : MAX_MAPPED_ALIASES)) {
      stats.addAliasRefused();
      return series; // no alias: this spelling is looked up by its canonical key each time
    }
    byte[] alias =
        Arrays.copyOfRange(bytes, batch.keyFrom(i), batch.keyFrom(i) + batch.keyLength(i));
    series.addAlias(alias, batch.hash(i));
    byRawKey.put(alias, batch.hash(i), series);
    return series;
  }

  /**
   * The series of {@code key}, created if new and within the limit; beyond it the overflow series
   * of its name and kind if {@code mayOverflow}; null if there is no room for that either; {@link
   * #RESERVED} if its name is Tally's own.
   *
   * @param createdMillis when a series made now began (see {@link SeriesName#createdMillis()})
   */
  private Series seriesFor(
      SeriesKey key, String help, MappingRule rule, boolean mayOverflow, long createdMillis) {
    Series series = byKey.get(key);
    if (series == null) {
      // a reserved name's samples and those beyond the limit come here each time: their family
      // alone, the labels' text only for a series that will be made
      String family = familyOf(key, rule);
      if (limiter.reserved(key, family)) {
        return RESERVED;
      }
      if (!limiter.tryAcquire(key.name())) {
        return mayOverflow ? overflow(key, help, rule, createdMillis) : null;
      }
      series = create(new SeriesName(key, help, family, createdMillis), rule);
      put(series);
    }
    return series;
  }

  /** The series of a StatsD key made by mapping {@code rule} (null for none). */
  private Series seriesFor(SeriesKey key, MappingRule rule, long createdMillis) {
    return seriesFor(key, rule == null ? null : rule.help(), rule, true, createdMillis);
  }

  /**
   * True if StatsD series {@code s} is what {@code rule} (null: no mapping file) makes of {@code
   * key}: the same family and, for timers and distributions, the same layout and units.
   */
  private boolean fits(Series s, SeriesKey key, MappingRule rule) {
    if (!s.name.family().equals(familyOf(key, rule))) {
      return false;
    }
    if (s instanceof HistogramSeries h) {
      HistogramLayout layout = layoutOf(s.name, rule);
      return h.hasLayout(layout, rule != null);
    }
    return true;
  }

  /** How long a series of {@code rule} may stay idle: its ttl, or -1 for the shard's. */
  private static long ttlOf(MappingRule rule) {
    return rule != null && rule.ttlMillis() > 0 ? rule.ttlMillis() : -1;
  }

  /** The layout of a timer or distribution: its mapping rule's (made once a rule), else Tally's. */
  private HistogramLayout layoutOf(SeriesName name, MappingRule rule) {
    return rule == null ? layoutOf(name) : ruleLayouts.computeIfAbsent(rule, this::layoutOf);
  }

  /** A series' family: as a mapping file names it (no suffix added), else as Tally does. */
  private static String familyOf(SeriesKey key, MappingRule rule) {
    return rule != null ? key.name() : SeriesName.familyOf(key);
  }

  /** The overflow series of the key's name and kind, or null if there is no room for it. */
  private Series overflow(SeriesKey key, String help, MappingRule rule, long createdMillis) {
    SeriesKey overflowKey = key.withOnlyLabel(OVERFLOW_LABEL, "true");
    Series series = byKey.get(overflowKey);
    if (series == null) {
      if (overflowSeries >= MAX_OVERFLOW_SERIES) {
        return null;
      }
      overflowSeries++;
      series =
          create(
              new SeriesName(overflowKey, help, familyOf(overflowKey, rule), createdMillis), rule);
      series.overflow = true;
      put(series);
    }
    stats.addOverflow(1);
    return series; // no alias: each overflowing raw key is looked up again, so memory stays bounded
  }

  /**
   * When the series of {@code point} began, if it is new: the start of its stream (a cumulative
   * point counts from it, and so does the series' total), else now.
   */
  private static long createdAt(OtlpPoint point, long nowMillis) {
    long start = point.startNanos() / 1_000_000;
    return start > 0 && start < nowMillis ? start : nowMillis;
  }

  private Series create(SeriesName name, MappingRule rule) {
    Series series = createOfKind(name, rule);
    series.ttlMillis = ttlOf(rule);
    // a series another node owns gathers for it from its first sample
    if (ownership != null && !ownership.owns(name.key())) {
      series.startForwarding(false); // nothing gathered yet: nothing to hand over
    }
    return series;
  }

  private Series createOfKind(SeriesName name, MappingRule rule) {
    stats.seriesActive().incrementAndGet();
    MetricKind kind = name.key().kind();
    int digits = options.getHistogramDigits();
    switch (kind) {
      case COUNTER:
        return new CounterSeries(name);
      case GAUGE:
      case OTLP_GAUGE:
        return new GaugeSeries(name);
      case SET:
        return new SetSeries(name);
      case TIMER:
      case DISTRIBUTION:
        return new HistogramSeries(
            name, digits, layoutOf(name, rule), rule != null, stats, staleHistograms);
      case OTLP_COUNTER:
        return new OtlpCounterSeries(name);
      case OTLP_HISTOGRAM:
        return new BucketHistogramSeries(name, options.getWindowMillis());
      case OTLP_EXPONENTIAL_HISTOGRAM:
        return new ExponentialHistogramSeries(
            name, digits, options.getWindowMillis(), stats, staleHistograms);
      case OTLP_SUMMARY:
        return new SummarySeries(name);
      default:
        throw new AssertionError(kind);
    }
  }

  /**
   * How a timer or distribution is exposed: span durations as the spanmetrics connector's
   * histogram, StatsD series as the options say.
   */
  private HistogramLayout layoutOf(SeriesName name) {
    return name.key().kind() == MetricKind.TIMER && name.key().name().equals(SpanMetrics.DURATION)
        ? HistogramLayout.SPANS
        : options.getStatsdLayout();
  }

  /**
   * How the timers and distributions of a mapping rule are exposed: its observer type, buckets and
   * quantiles, each the options' where neither the rule nor the file's defaults say.
   */
  private HistogramLayout layoutOf(MappingRule rule) {
    HistogramLayout base = options.getStatsdLayout();
    ObserverType type = base.type();
    if (rule.observer() == ObserverKind.HISTOGRAM) {
      type = ObserverType.HISTOGRAM;
    } else if (rule.observer() == ObserverKind.SUMMARY) {
      type = ObserverType.SUMMARY;
    }
    double[] buckets = rule.buckets();
    return new HistogramLayout(
        type,
        buckets != null ? buckets : base.boundsCopy(),
        base.nativeBuckets(),
        rule.quantiles());
  }

  private void remove(Series s) {
    for (int a = 0, n = s.aliasCount(); a < n; a++) {
      byRawKey.remove(s.alias(a), s.aliasHash(a));
    }
    s.removed = true;
    stats.seriesActive().decrementAndGet();
    if (s.overflow) {
      overflowSeries--;
    } else {
      limiter.release(s.key.name());
    }
  }
}
