package dev.tally.verticles.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class XorChunkTest {
  @Property(tries = 200)
  void everySampleComesBackBitForBit(@ForAll long seed) {
    Random r = new Random(seed);
    int n = 1 + r.nextInt(2000);
    long[] t = new long[n];
    double[] v = new double[n];
    long at = r.nextLong() >> 4;
    for (int i = 0; i < n; i++) {
      at +=
          switch (r.nextInt(6)) {
            case 0 -> 1 + r.nextInt(3);
            case 1 -> 10_000L * (1 + r.nextInt(500)); // gaps
            case 2 -> 1 + (r.nextLong() >>> 20); // a jump that needs 64 bits
            default -> 10_000L;
          };
      t[i] = at;
      v[i] =
          switch (r.nextInt(7)) {
            case 0 -> HistoryStore.STALE_NAN;
            case 1 -> Double.longBitsToDouble(r.nextLong());
            case 2 -> i > 0 ? v[i - 1] : 0;
            case 3 -> i > 0 ? v[i - 1] + 1 : 0;
            case 4 -> -0.0;
            default -> r.nextGaussian() * 1e6;
          };
    }
    XorChunk c = new XorChunk(16);
    for (int i = 0; i < n; i++) {
      c.append(t[i], v[i]);
    }
    XorChunk.View view = c.publish();
    assertThat(view.count()).isEqualTo(n);
    assertThat(view.firstT()).isEqualTo(t[0]);
    assertThat(view.lastT()).isEqualTo(t[n - 1]);
    for (XorChunk.Reader reader :
        List.of(view.reader(), new XorChunk.Reader(c.toBytes(), c.count()))) {
      for (int i = 0; i < n; i++) {
        assertThat(reader.next()).isTrue();
        assertThat(reader.time()).isEqualTo(t[i]);
        assertThat(Double.doubleToRawLongBits(reader.value()))
            .isEqualTo(Double.doubleToRawLongBits(v[i]));
      }
      assertThat(reader.next()).isFalse();
    }
  }

  @Test
  void aViewTakenEarlierReadsItsSamplesWhileAppendsGoOn() {
    XorChunk c = new XorChunk(16);
    c.append(1000, 1.5);
    c.append(2000, 2.5);
    XorChunk.View early = c.publish();
    for (int i = 3; i < 500; i++) {
      c.append(i * 1000L, i * 3.25);
    }
    List<Double> values = new ArrayList<>();
    XorChunk.Reader r = early.reader();
    while (r.next()) {
      values.add(r.value());
    }
    assertThat(values).containsExactly(1.5, 2.5);
  }

  @Test
  void evenlySpacedSteadyValuesTakeAboutTwoBitsEach() {
    XorChunk c = new XorChunk(16);
    for (int i = 0; i < 360; i++) {
      c.append(i * 10_000L, 42);
    }
    assertThat(c.toBytes().length).isLessThan(16 + 360 * 2 / 8 + 4);
  }

  @Test
  void refusesATimeNotAfterTheLast() {
    XorChunk c = new XorChunk();
    c.append(10, 1);
    assertThatThrownBy(() -> c.append(10, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
