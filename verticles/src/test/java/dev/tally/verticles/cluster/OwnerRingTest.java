package dev.tally.verticles.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OwnerRingTest {
  static final List<String> THREE = List.of("node-a", "node-b", "node-c");

  @Test
  void everyNodeAgreesWhateverTheOrderAndTheSeriesSpreadEvenly() {
    OwnerRing ring = new OwnerRing(THREE);
    OwnerRing shuffled = new OwnerRing(List.of("node-c", "node-a", "node-b"));
    Map<String, Integer> counts = new HashMap<>();
    for (int s = 0; s < 30_000; s++) {
      int hash = ("series" + s).hashCode();
      assertThat(shuffled.owner(hash)).isEqualTo(ring.owner(hash));
      counts.merge(ring.owner(hash), 1, Integer::sum);
    }
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(9_000, 11_000));
  }

  @Test
  void aLeavingNodesSeriesMoveAndNoOthers() {
    OwnerRing three = new OwnerRing(THREE);
    OwnerRing two = new OwnerRing(List.of("node-a", "node-b"));
    int moved = 0;
    for (int s = 0; s < 30_000; s++) {
      int hash = ("series" + s).hashCode();
      String before = three.owner(hash);
      if (!before.equals("node-c")) {
        assertThat(two.owner(hash)).isEqualTo(before);
      } else {
        moved++;
      }
    }
    assertThat(moved).isBetween(9_000, 11_000);
  }
}
