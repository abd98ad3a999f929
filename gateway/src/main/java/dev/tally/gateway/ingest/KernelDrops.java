package dev.tally.gateway.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads the kernel's drop count of the UDP sockets bound to one local port from {@code
 * /proc/net/udp} and {@code /proc/net/udp6}: datagrams that arrived while the socket's receive
 * buffer was full. Blocking file I/O: call it from a worker ({@code executeBlocking}).
 */
public final class KernelDrops {
  private static final Path[] TABLES = {Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")};

  private KernelDrops() {}

  /** True if the tables exist (Linux). A file-system call: not on an event loop. */
  public static boolean available() {
    return Files.isReadable(TABLES[0]);
  }

  /**
   * The drops summed over every socket on {@code port}; -1 if the tables cannot be read (not
   * Linux).
   */
  public static long read(int port) {
    String hexPort = ":" + String.format(Locale.ROOT, "%04X", port);
    long sum = 0;
    boolean any = false;
    for (Path table : TABLES) {
      List<String> lines;
      try {
        lines = Files.readAllLines(table);
      } catch (IOException | SecurityException e) {
        continue;
      }
      any = true;
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode ref pointer drops
        if (f.length >= 13 && f[1].endsWith(hexPort)) {
          sum += Long.parseLong(f[12]);
        }
      }
    }
    return any ? sum : -1;
  }
}
