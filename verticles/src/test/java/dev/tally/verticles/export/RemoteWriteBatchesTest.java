package dev.tally.verticles.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.snapshot.SeriesName;
import dev.tally.verticles.snapshot.SeriesSnapshot;
import dev.tally.verticles.snapshot.TickSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RemoteWriteBatchesTest {
  /** What one encode wrote: per shard, each sample as {@code __name__{labels} value@millis}. */
  private final TreeMap<Integer, List<String>> sent = new TreeMap<>();

  private static SeriesSnapshot counter(String name, String route, double value, long tick) {
    SeriesKey key = SeriesKey.of(MetricKind.COUNTER, name, List.of("route", route));
    return new SeriesSnapshot(
        new SeriesName(key, null), tick, value, 0, 0, 0, Double.NaN, Double.NaN, null);
  }

  private static TickSnapshot tick(long millis, SeriesSnapshot... series) {
    return TickSnapshot.of(millis, new ArrayList<>(Arrays.asList(series)), (a, b) -> a);
  }

  private long encode(RemoteWriteBatches batches, TickSnapshot tick) {
    sent.clear();
    return batches.encode(
        tick,
        (shard, bytes, length, samples) -> {
          List<String> out = sent.computeIfAbsent(shard, k -> new ArrayList<>());
          List<String> decoded = decode(Arrays.copyOf(bytes, length));
          assertThat(decoded).hasSize(samples);
          out.addAll(decoded);
        });
  }

  private List<String> all() {
    List<String> out = new ArrayList<>();
    sent.values().forEach(out::addAll);
    out.sort(null);
    return out;
  }

  private static List<String> decode(byte[] bytes) {
    List<String> out = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        CodedInputStream ts = CodedInputStream.newInstance(in.readByteArray());
        String name = "";
        List<String> labels = new ArrayList<>();
        String sample = "";
        for (int t = ts.readTag(); t != 0; t = ts.readTag()) {
          CodedInputStream m = CodedInputStream.newInstance(ts.readByteArray());
          if (t == 0x0A) {
            m.readTag();
            String n = m.readString();
            m.readTag();
            String v = m.readString();
            if (n.equals("__name__")) {
              name = n.isEmpty() ? "" : v;
            } else {
              labels.add(n + "=" + v);
            }
          } else {
            m.readTag();
            double v = m.readDouble();
            m.readTag();
            long millis = m.readInt64();
            boolean stale = Double.doubleToRawLongBits(v) == 0x7ff0000000000002L;
            sample = (stale ? "stale" : String.valueOf(v)) + "@" + millis;
          }
        }
        out.add(name + labels + " " + sample);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  @Test
  void everySeriesOnceInItsShardThenStaleMarkersForThoseThatExpired() {
    RemoteWriteBatches batches = new RemoteWriteBatches(List.of(), 4, 1000, key -> true);
    List<SeriesSnapshot> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(counter("req", "/r" + i, i, 1000));
    }
    assertThat(encode(batches, tick(1000, many.toArray(new SeriesSnapshot[0])))).isEqualTo(100);
    assertThat(all()).hasSize(100).contains("req_total[route=/r7] 7.0@1000");
    assertThat(sent.keySet()).hasSizeGreaterThan(1); // spread over the shards
    for (SeriesSnapshot s : many) { // each series in the shard its key hashes to
      assertThat(sent.get(batches.shard(s)))
          .anyMatch(x -> x.contains("route=" + s.key().labelValue(0) + "]"));
    }

    encode(batches, tick(2000, counter("req", "/r1", 5, 2000), counter("req", "/r2", 6, 2000)));
    assertThat(all())
        .hasSize(100)
        .contains("req_total[route=/r1] 5.0@2000", "req_total[route=/r0] stale@2000");
    assertThat(all().stream().filter(x -> x.contains("stale"))).hasSize(98);

    encode(batches, tick(3000, counter("req", "/r1", 5, 3000), counter("req", "/r2", 6, 3000)));
    assertThat(all())
        .containsExactly("req_total[route=/r1] 5.0@3000", "req_total[route=/r2] 6.0@3000");
  }

  @Test
  void aSeriesAnotherNodeTookOverGetsNoStaleMarker() {
    Set<String> ownedRoutes = new java.util.HashSet<>(Set.of("/a", "/b"));
    RemoteWriteBatches batches =
        new RemoteWriteBatches(List.of(), 1, 1000, key -> ownedRoutes.contains(key.labelValue(0)));
    encode(batches, tick(1000, counter("c", "/a", 1, 1000), counter("c", "/b", 1, 1000)));
    ownedRoutes.remove("/b"); // moved to another node; /a expired here
    encode(batches, tick(2000));
    assertThat(all()).containsExactly("c_total[route=/a] stale@2000");
  }

  @Test
  void globsPickTheFamiliesAndRecordsAreCutAtTheSampleLimit() {
    RemoteWriteBatches batches =
        new RemoteWriteBatches(List.of("http_*", "db_?_total"), 1, 3, key -> true);
    List<Integer> records = new ArrayList<>();
    batches.encode(
        tick(
            1000,
            counter("http_requests", "/a", 1, 1000),
            counter("http_requests", "/b", 1, 1000),
            counter("http_errors", "/a", 1, 1000),
            counter("http_errors", "/b", 1, 1000),
            counter("db_x", "/a", 1, 1000),
            counter("db_xy", "/a", 1, 1000),
            counter("jvm_gc", "/a", 1, 1000)),
        (shard, bytes, length, samples) -> records.add(samples));
    assertThat(records).containsExactly(3, 2);
  }
}
