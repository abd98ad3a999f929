package dev.tally.loadtest.blaster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends StatsD lines to a gateway as fast as asked: one non-blocking {@link DatagramChannel} per
 * thread, ready-made packets, pacing by the nanosecond clock. At the end it reads the gateway's
 * {@code tally_statsd_lines_accepted_total} (before and after, once it has stopped growing) and
 * prints lines sent, accepted and lost.
 *
 * <pre>
 * java -jar loadtest/target/statsd-blaster.jar --rate 500000 --lines-per-packet 20 \
 *   --series 1000 --mix c=60,ms=30,g=5,s=5 --tags 2 --duration 30s
 * </pre>
 */
public final class StatsdBlaster {
  private final BlasterOptions options;
  private final LongAdder packets = new LongAdder();
  private final LongAdder wouldBlock = new LongAdder();

  private StatsdBlaster(BlasterOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    BlasterOptions options;
    try {
      options = BlasterOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    new StatsdBlaster(options).run();
  }

  private void run() throws Exception {
    double before = accepted();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + options.durationMillis * 1_000_000;
    for (int t = 0; t < options.threads; t++) {
      Packets pool = new Packets(options, 42 + t);
      Thread thread = new Thread(() -> send(pool, start, end), "blaster-" + t);
      threads.add(thread);
      thread.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long lines = packets.sum() * options.linesPerPacket;
    System.out.printf(
        "sent %,d lines in %,d packets in %.1f s = %,.0f lines/s (socket full %,d times)%n",
        lines, packets.sum(), seconds, lines / seconds, wouldBlock.sum());
    if (before >= 0) {
      double after = settledAccepted();
      double accepted = after - before;
      System.out.printf(
          "gateway accepted %,.0f lines: loss %.3f %%%n",
          accepted, lines == 0 ? 0 : 100 * (1 - accepted / lines));
    }
  }

  /** One thread's loop: a packet whenever the pace allows, until the end. */
  private void send(Packets pool, long start, long end) {
    double perThread = options.rate / (double) options.threads;
    double nanosPerPacket = perThread == 0 ? 0 : 1e9 * options.linesPerPacket / perThread;
    try (DatagramChannel channel = DatagramChannel.open()) {
      channel.configureBlocking(false);
      channel.connect(new InetSocketAddress(options.host, options.port));
      long sent = 0;
      int i = 0;
      while (true) {
        long now = System.nanoTime();
        if (now >= end) {
          break;
        }
        long ahead = nanosPerPacket > 0 ? (long) (sent * nanosPerPacket) - (now - start) : 0;
        if (ahead > 0) {
          // ahead of the pace: sleep when it is long enough to matter, so that the blaster does not
          // take the CPU the gateway needs on a shared machine
          if (ahead > 100_000) {
            LockSupport.parkNanos(ahead);
          } else {
            Thread.onSpinWait();
          }
          continue;
        }
        ByteBuffer packet = pool.get(i);
        if (channel.write(packet) == 0) {
          wouldBlock.increment(); // the socket's send buffer is full: try again
          continue;
        }
        i++;
        sent++;
        packets.increment();
      }
    } catch (IOException e) {
      throw new IllegalStateException("sending to " + options.host + ":" + options.port, e);
    }
  }

  /** The gateway's accepted-lines counter; -1 without a metrics address or if it cannot be read. */
  private double accepted() {
    if (options.metrics.isEmpty()) {
      return -1;
    }
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(options.metrics)).build(),
                  HttpResponse.BodyHandlers.ofString());
      for (String line : r.body().split("\n")) {
        if (line.startsWith("tally_statsd_lines_accepted_total ")) {
          return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
        }
      }
    } catch (IOException e) {
      System.err.println("cannot read " + options.metrics + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return -1;
  }

  /**
   * The accepted count once it has not changed for 300 ms (the gateway has drained), at most 5 s.
   */
  private double settledAccepted() throws InterruptedException {
    double last = accepted();
    long deadline = System.currentTimeMillis() + 5000;
    while (System.currentTimeMillis() < deadline) {
      Thread.sleep(300);
      double now = accepted();
      if (now == last) {
        return now;
      }
      last = now;
    }
    return last;
  }
}
