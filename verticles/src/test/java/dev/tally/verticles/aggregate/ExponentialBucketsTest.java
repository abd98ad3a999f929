package dev.tally.verticles.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.verticles.snapshot.NativeHistogram;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExponentialBucketsTest {
  @Test
  void powersOfTwoAreTheUpperBoundsOfTheirBucketAtEveryScale() {
    for (int scale = -4; scale <= 8; scale++) {
      for (int e = -20; e <= 20; e++) {
        int index = ExponentialBuckets.indexOf(Math.scalb(1.0, e), scale);
        // OTLP bucket i holds (2^(i/2^s), 2^((i+1)/2^s)]: 2^e is the top of bucket e*2^s - 1
        int expected = scale >= 0 ? (e << scale) - 1 : Math.floorDiv(e - 1, 1 << -scale);
        assertThat(index).as("2^%d at scale %d", e, scale).isEqualTo(expected);
      }
    }
  }

  @Test
  void aValueLiesInsideItsBucket() {
    Random random = new Random(3);
    for (int n = 0; n < 10_000; n++) {
      double v = Math.exp(random.nextGaussian() * 10);
      int scale = random.nextInt(13) - 4;
      int i = ExponentialBuckets.indexOf(v, scale);
      double lower = Math.pow(2, Math.scalb((double) i, -scale));
      double upper = Math.pow(2, Math.scalb((double) (i + 1), -scale));
      // Math.pow is within an ulp or two: a value that close to a bound may land beside it
      assertThat(v).as("%s at scale %d, bucket %d", v, scale, i).isGreaterThan(lower * (1 - 1e-12));
      assertThat(v).isLessThanOrEqualTo(upper * (1 + 1e-12));
    }
  }

  @Test
  void wideDataDownscalesToAtMostTheBucketLimitAndKeepsEveryCount() {
    ExponentialBuckets b = new ExponentialBuckets();
    Random random = new Random(5);
    long n = 0;
    for (int i = 0; i < 50_000; i++) {
      double v = Math.exp(random.nextGaussian() * 4) * (random.nextInt(10) == 0 ? -1 : 1);
      b.record(v, 1);
      n++;
    }
    NativeHistogram h = b.view();
    assertThat(h.count()).isEqualTo(n);
    assertThat(h.positive().length).isLessThanOrEqualTo(ExponentialBuckets.MAX_BUCKETS);
    assertThat(h.negative().length).isLessThanOrEqualTo(ExponentialBuckets.MAX_BUCKETS);
    assertThat(h.schema()).isLessThan(ExponentialBuckets.MAX_SCALE);
    // the same values recorded straight at the final schema land in the same buckets
    random = new Random(5);
    long[] direct = new long[h.positive().length];
    for (int i = 0; i < 50_000; i++) {
      double v = Math.exp(random.nextGaussian() * 4) * (random.nextInt(10) == 0 ? -1 : 1);
      if (v > 0) {
        direct[ExponentialBuckets.indexOf(v, h.schema()) + 1 - h.positiveFirst()]++;
      }
    }
    assertThat(h.positive()).containsExactly(direct);
  }

  @Test
  void otlpPointsFinerThanSchema8AreMergedDownExactly() {
    ExponentialBuckets b = new ExponentialBuckets();
    // scale 10, buckets 1024..1031 (values just above 2): at scale 8 they are buckets 256 and 257
    assertThat(b.add(10, 1024, new long[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, new long[0], 2)).isTrue();
    NativeHistogram h = b.view();
    assertThat(h.schema()).isEqualTo(8);
    assertThat(h.positiveFirst()).isEqualTo(257); // Prometheus indexes are OTLP's plus one
    assertThat(h.positive()).containsExactly(1 + 2 + 3 + 4, 5 + 6 + 7 + 8);
    assertThat(h.zeroCount()).isEqualTo(2);
    // a later point at a coarser scale takes the buckets down to it
    assertThat(b.add(6, 64, new long[] {1}, 0, new long[0], 0)).isTrue();
    h = b.view();
    assertThat(h.schema()).isEqualTo(6);
    assertThat(h.positiveFirst()).isEqualTo(65);
    assertThat(h.positive()).containsExactly(36 + 1);
    assertThat(b.add(-5, 0, new long[] {1}, 0, new long[0], 0)).isFalse();
  }

  @Test
  void upperBoundsOfTheViewMatchPrometheusIndexes() {
    ExponentialBuckets b = new ExponentialBuckets();
    b.record(3, 1);
    NativeHistogram h = b.view();
    double upper = h.upperBound(h.positiveFirst());
    double lower = h.upperBound(h.positiveFirst() - 1);
    assertThat(lower).isLessThan(3);
    assertThat(upper).isGreaterThanOrEqualTo(3);
    assertThat(new BigDecimal(upper).divide(new BigDecimal(lower), MathContext.DECIMAL64))
        .isEqualByComparingTo(new BigDecimal(Math.pow(2, 1.0 / 256), MathContext.DECIMAL64));
  }
}
