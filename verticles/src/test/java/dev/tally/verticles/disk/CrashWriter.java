package dev.tally.verticles.disk;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Appends numbered records to a {@link SegmentLog} until it is killed, syncing after every tenth
 * and printing {@code synced N} (N records appended and synced) after each sync. Record i holds i
 * in its first four bytes and then a byte pattern of i, 20 to 60 KiB long, so that a kill often
 * lands inside a write. Started by {@link SegmentLogCrashTest} as a separate JVM.
 */
public final class CrashWriter {
  private CrashWriter() {}

  static byte[] record(int i) {
    byte[] p = new byte[20 * 1024 + (i * 7919) % (40 * 1024)];
    Arrays.fill(p, (byte) i);
    p[0] = (byte) (i >>> 24);
    p[1] = (byte) (i >>> 16);
    p[2] = (byte) (i >>> 8);
    p[3] = (byte) i;
    return p;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int from = Integer.parseInt(args[1]);
    try (SegmentLog log = SegmentLog.open(dir, 1 << 20, 1L << 30)) {
      for (int i = from; ; i++) {
        byte[] p = record(i);
        log.append(1, 1, System.currentTimeMillis(), p, 0, p.length);
        if ((i + 1) % 10 == 0) {
          log.sync();
          System.out.println("synced " + (i + 1));
          System.out.flush();
        }
      }
    }
  }
}
