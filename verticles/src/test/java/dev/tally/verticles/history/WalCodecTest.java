package dev.tally.verticles.history;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WalCodecTest {
  @Test
  void aRecordThatWasNotWrittenLeavesTheChainAsTheLogHasIt() {
    WalCodec writer = new WalCodec();
    byte[] first = writer.samples(1000, 0, new int[] {3}, new double[] {1.5}, 1);
    writer.commit();
    writer.samples(2000, 0, new int[] {3}, new double[] {99}, 1); // its write failed: no commit
    byte[] third = writer.samples(3000, 0, new int[] {3}, new double[] {2.5}, 1);
    writer.commit();
    WalCodec reader = new WalCodec(); // recovery reads what the log holds: the first and third
    assertThat(reader.readSamples(first).values()).containsExactly(1.5);
    assertThat(reader.readSamples(third).values()).containsExactly(2.5);
  }
}
