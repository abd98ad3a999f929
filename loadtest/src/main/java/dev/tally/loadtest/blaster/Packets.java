package dev.tally.loadtest.blaster;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A pool of ready datagrams, made before sending so that the send loop only copies bytes: lines
 * drawn over the series and the type mix ({@code blast.<type>.s<id>}), with values that vary.
 */
final class Packets {
  static final int POOL = 2048;

  private final ByteBuffer[] packets = new ByteBuffer[POOL];
  private final int linesPerPacket;

  Packets(BlasterOptions o, long seed) {
    this.linesPerPacket = o.linesPerPacket;
    SplittableRandom random = new SplittableRandom(seed);
    String[] types = new String[100];
    int at = 0;
    for (Map.Entry<String, Integer> e : o.mix.entrySet()) {
      for (int i = 0; i < e.getValue(); i++) {
        types[at++] = e.getKey();
      }
    }
    StringBuilder sb = new StringBuilder(o.linesPerPacket * 48);
    for (int p = 0; p < POOL; p++) {
      sb.setLength(0);
      for (int l = 0; l < o.linesPerPacket; l++) {
        String type = types[random.nextInt(100)];
        int id = random.nextInt(o.series);
        sb.append("blast.").append(type).append(".s").append(id).append(':');
        switch (type) {
          case "c":
            sb.append(1);
            break;
          case "g":
            sb.append(random.nextInt(1000));
            break;
          case "s":
            sb.append('u').append(random.nextInt(100));
            break;
          default:
            sb.append(1 + random.nextInt(500));
        }
        sb.append('|').append(type);
        for (int t = 0; t < o.tags; t++) {
          sb.append(t == 0 ? "|#" : ",").append("tag").append(t).append(':').append(id % (8 << t));
        }
        sb.append('\n');
      }
      packets[p] =
          ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
    }
  }

  /**
   * Packet {@code i} of the pool, as a buffer positioned at its start (each caller its own view).
   */
  ByteBuffer get(int i) {
    return packets[i % POOL].duplicate();
  }

  int linesPerPacket() {
    return linesPerPacket;
  }
}
