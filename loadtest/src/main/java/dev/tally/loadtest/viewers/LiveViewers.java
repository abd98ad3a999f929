package dev.tally.loadtest.viewers;

import dev.tally.loadtest.Args;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Opens many live-feed viewers against a running gateway, half SSE and half WebSocket by default,
 * each subscribed to the same series, while it sends those series over StatsD; reports snapshots
 * received against ticks expected, and the tick-to-client latency (arrival time minus the
 * snapshot's tick) as percentiles.
 *
 * <pre>
 * java -cp loadtest/target/benchmarks.jar dev.tally.loadtest.viewers.LiveViewers \
 *   --port 8080 --statsd-port 8125 --sse 1000 --ws 1000 --series 100 --seconds 60
 * </pre>
 */
public final class LiveViewers {
  private final String host;
  private final int port;
  private final int statsdPort;
  private final int sse;
  private final int ws;
  private final int series;
  private final int seconds;
  private final Recorder latency = new Recorder(3);
  private final LongAdder snapshots = new LongAdder();
  private final LongAdder badFrames = new LongAdder();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  private LiveViewers(String[] args) {
    host = Args.get(args, "--host", "127.0.0.1");
    port = Integer.parseInt(Args.get(args, "--port", "8080"));
    statsdPort = Integer.parseInt(Args.get(args, "--statsd-port", "8125"));
    sse = Integer.parseInt(Args.get(args, "--sse", "1000"));
    ws = Integer.parseInt(Args.get(args, "--ws", "1000"));
    series = Integer.parseInt(Args.get(args, "--series", "100"));
    seconds = Integer.parseInt(Args.get(args, "--seconds", "60"));
  }

  public static void main(String[] args) throws Exception {
    new LiveViewers(args).run();
  }

  private void run() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    DatagramSocket udp = vertx.createDatagramSocket();
    vertx.setPeriodic(100, id -> sendSeries(udp));
    String match = "viewers.s*";
    HttpClient http =
        vertx.createHttpClient(
            new HttpClientOptions().setDefaultHost(host).setDefaultPort(port),
            new PoolOptions().setHttp1MaxSize(Math.max(1, sse)));
    WebSocketClient wsClient =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setMaxConnections(Math.max(1, ws)));
    for (int i = 0; i < sse; i++) {
      StringBuilder partial = new StringBuilder();
      http.request(HttpMethod.GET, "/api/stream?match=" + match)
          .compose(req -> req.send())
          .onSuccess(
              resp -> {
                if (resp.statusCode() != 200) {
                  failed.incrementAndGet();
                  return;
                }
                connected.incrementAndGet();
                resp.handler(b -> sseChunk(partial, b));
              })
          .onFailure(e -> failed.incrementAndGet());
    }
    for (int i = 0; i < ws; i++) {
      ClientWebSocket socket = wsClient.webSocket();
      socket.textMessageHandler(this::message);
      socket
          .connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/api/ws"))
          .onSuccess(
              s -> {
                connected.incrementAndGet();
                s.writeTextMessage("{\"type\":\"subscribe\",\"match\":[\"" + match + "\"]}");
              })
          .onFailure(e -> failed.incrementAndGet());
    }
    Thread.sleep(5000); // let the viewers connect and take their backfill before measuring
    latency.reset();
    snapshots.reset();
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double elapsed = (System.nanoTime() - start) / 1e9;
    org.HdrHistogram.Histogram h = latency.getIntervalHistogram();
    System.out.printf(
        "viewers connected %d (failed %d), snapshots %d in %.1f s = %.1f per viewer per s%n",
        connected.get(),
        failed.get(),
        snapshots.sum(),
        elapsed,
        snapshots.sum() / elapsed / Math.max(1, connected.get()));
    System.out.printf(
        "tick-to-client latency ms: p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f (frames not JSON: %d)%n",
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(90) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0,
        badFrames.sum());
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private void sendSeries(DatagramSocket udp) {
    StringBuilder packet = new StringBuilder();
    for (int i = 0; i < series; i++) {
      packet.append("viewers.s").append(i).append(i % 2 == 0 ? ":1|c\n" : ":12|ms\n");
      if (packet.length() > 1200) {
        udp.send(Buffer.buffer(packet.toString()), statsdPort, host);
        packet.setLength(0);
      }
    }
    if (packet.length() > 0) {
      udp.send(Buffer.buffer(packet.toString()), statsdPort, host);
    }
  }

  private void sseChunk(StringBuilder partial, Buffer chunk) {
    partial.append(chunk.toString(StandardCharsets.UTF_8));
    int end;
    while ((end = partial.indexOf("\n\n")) >= 0) {
      String event = partial.substring(0, end);
      partial.delete(0, end + 2);
      int data = event.indexOf("data: ");
      if (data >= 0) {
        message(event.substring(data + 6));
      }
    }
  }

  /** Records a snapshot's latency from its {@code "ts"} without parsing the whole frame. */
  private void message(String json) {
    if (!json.startsWith("{\"type\":\"snapshot\",\"ts\":")) {
      return;
    }
    int from = "{\"type\":\"snapshot\",\"ts\":".length();
    int to = json.indexOf(',', from);
    try {
      long ts = Long.parseLong(json.substring(from, to));
      long micros = Math.max(0, System.currentTimeMillis() - ts) * 1000;
      latency.recordValue(micros);
      snapshots.increment();
    } catch (RuntimeException e) {
      badFrames.increment();
    }
  }
}
