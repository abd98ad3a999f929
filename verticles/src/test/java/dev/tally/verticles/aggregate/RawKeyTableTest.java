package dev.tally.verticles.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.protocol.model.MetricKind;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.snapshot.SeriesName;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RawKeyTableTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void behavesLikeAMapUnderRandomPutsAndRemovesWithCollidingHashes() {
    RawKeyTable table = new RawKeyTable();
    Map<String, Series> reference = new HashMap<>();
    Random random = new Random(3);
    for (int step = 0; step < 200_000; step++) {
      String key = "k" + random.nextInt(5_000);
      int hash =
          key.hashCode() % 37; // few distinct hashes: long probe runs, many shifts on removal
      if (random.nextInt(3) == 0) {
        table.remove(bytes(key), hash);
        reference.remove(key);
      } else if (!reference.containsKey(key)) {
        Series s =
            new GaugeSeries(new SeriesName(SeriesKey.of(MetricKind.GAUGE, key, List.of()), null));
        table.put(bytes(key), hash, s);
        reference.put(key, s);
      }
      if (step % 1000 == 0) {
        for (int k = 0; k < 5_000; k++) {
          String probe = "k" + k;
          byte[] b = bytes("xx" + probe + "yy");
          assertThat(table.get(b, 2, probe.length(), probe.hashCode() % 37))
              .isSameAs(reference.get(probe));
        }
        assertThat(table.size()).isEqualTo(reference.size());
      }
    }
  }
}
