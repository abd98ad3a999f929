package dev.tally.verticles.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativeHistogramTest {
  @Test
  void twoHistogramsAddUpAtTheCoarserSchema() {
    // schema 2: buckets 5..8; schema 1: bucket 3 holds (2^(2/2), 2^(3/2)], which schema 2's
    // buckets 5 and 6 make up, and bucket 4 holds its 7 and 8
    NativeHistogram fine = new NativeHistogram(2, 1, 5, new long[] {1, 2, 3, 4}, 1, null);
    NativeHistogram coarse = new NativeHistogram(1, 2, 4, new long[] {10}, -1, new long[] {7});
    NativeHistogram sum = NativeHistogram.merge(fine, coarse);
    assertThat(sum.schema()).isEqualTo(1);
    assertThat(sum.zeroCount()).isEqualTo(3);
    assertThat(sum.positiveFirst()).isEqualTo(3);
    assertThat(sum.positive()).containsExactly(1 + 2, 3 + 4 + 10);
    assertThat(sum.negativeFirst()).isEqualTo(-1);
    assertThat(sum.negative()).containsExactly(7);
    assertThat(sum.count()).isEqualTo(fine.count() + coarse.count());
    assertThat(NativeHistogram.merge(fine, null)).isSameAs(fine);
  }

  @Test
  void coarserMergesBucketsWhoseBoundsNest() {
    for (int schema = -3; schema <= 8; schema++) {
      for (int index = -40; index <= 40; index++) {
        int j = NativeHistogram.coarser(index, 1);
        NativeHistogram fine = new NativeHistogram(schema, 0, index, new long[] {1}, 1, null);
        NativeHistogram coarse = new NativeHistogram(schema - 1, 0, j, new long[] {1}, 1, null);
        // bucket index at the fine schema lies inside bucket j at the coarser one
        assertThat(fine.upperBound(index)).isLessThanOrEqualTo(coarse.upperBound(j) * (1 + 1e-12));
        assertThat(fine.upperBound(index - 1))
            .isGreaterThanOrEqualTo(coarse.upperBound(j - 1) * (1 - 1e-12));
      }
    }
  }
}
