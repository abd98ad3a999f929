package dev.tally.verticles.live;

import dev.tally.verticles.stats.SelfMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The live feed's own counters, bound to {@code /metrics} as meters. Thread-safe. */
public final class LiveStats implements MeterBinder {
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

  @Override
  public void bindTo(MeterRegistry r) {
    for (String transport : new String[] {"sse", "ws"}) {
      SelfMeters.gauge(
          r,
          "tally_live_clients",
          "Clients of the live feed, by transport.",
          this,
          stats -> stats.clients(transport),
          "transport",
          transport);
    }
    SelfMeters.counter(
        r, "tally_live_frames_sent_total", "Live-feed frames written to clients.", framesSent);
    SelfMeters.counter(
        r,
        "tally_live_frames_coalesced_total",
        "Live-feed frames replaced by a newer one before a slow client could take them.",
        framesCoalesced);
    SelfMeters.counter(
        r,
        "tally_live_logs_dropped_total",
        "Log records the live tail did not send: over 500 in a tick, or to a client whose transport was full.",
        logsDropped);
    SelfMeters.counter(
        r,
        "tally_live_frames_encoded_total",
        "Live-feed snapshot frames encoded: one per distinct subscription per tick.",
        encodings);
    SelfMeters.counter(
        r,
        "tally_live_clients_closed_slow_total",
        "Live-feed clients closed because their sockets took nothing for live-slow-close (default 30 s) while they held unsent bytes.",
        closedSlow);
    SelfMeters.counter(
        r,
        "tally_live_subscribes_refused_total",
        "WebSocket subscribe messages refused: over live-max-subscribes in 10 s from one client.",
        subscribesRefused);
    SelfMeters.gauge(
        r,
        "tally_live_unsent_bytes",
        "Bytes written to live-feed clients that their sockets have not taken yet (bounded by live-max-bytes).",
        unflushedBytes);
    SelfMeters.counter(
        r,
        "tally_live_clients_refused_total",
        "Live-feed clients refused (503) at the client limit.",
        refused);
  }
}
