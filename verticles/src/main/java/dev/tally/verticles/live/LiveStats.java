package dev.tally.verticles.live;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The live feed's own counters, for {@code /metrics}. Thread-safe. */
public final class LiveStats {
  final AtomicInteger sse = new AtomicInteger();
  final AtomicInteger ws = new AtomicInteger();
  final LongAdder framesSent = new LongAdder();
  final LongAdder framesCoalesced = new LongAdder();
  final LongAdder logsDropped = new LongAdder();
  final LongAdder closedSlow = new LongAdder();
  final LongAdder refused = new LongAdder();
  final LongAdder encodings = new LongAdder();
  final LongAdder subscribesRefused = new LongAdder();
  final AtomicLong unflushedBytes = new AtomicLong();

  /** Connected clients of a transport ({@code sse} or {@code ws}). */
  public int clients(String transport) {
    return transport.equals("sse") ? sse.get() : ws.get();
  }

  /** Frames written to clients. */
  public long framesSent() {
    return framesSent.sum();
  }

  /**
   * Log records the live tail did not send: beyond the buffer within a tick, or to a client whose
   * transport was full.
   */
  public long logsDropped() {
    return logsDropped.sum();
  }

  /** Frames replaced by a newer one before a slow client could take them (latest wins). */
  public long framesCoalesced() {
    return framesCoalesced.sum();
  }

  /** Clients closed because they could not take frames for the slow-client limit. */
  public long closedSlow() {
    return closedSlow.sum();
  }

  /** Clients refused because the client limit was reached. */
  public long refused() {
    return refused.sum();
  }

  /** JSON snapshot frames encoded: one per distinct subscription per tick, not per client. */
  public long encodings() {
    return encodings.sum();
  }

  /** Subscribe messages refused because the client sent too many in 10 s. */
  public long subscribesRefused() {
    return subscribesRefused.sum();
  }

  /** Bytes written to live clients that their sockets have not taken yet. */
  public long unflushedBytes() {
    return unflushedBytes.get();
  }

  AtomicInteger counter(String transport) {
    return transport.equals("sse") ? sse : ws;
  }
}
