package dev.tally.loadtest.otlp;

import dev.tally.loadtest.Args;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.common.GrpcStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * A native OTLP/gRPC load driver, like ghz: {@code --concurrency} calls in flight over HTTP/2
 * (multiplexed on {@code --connections} connections), each {@code MetricsService/Export} with a
 * realistic request ({@link OtlpPayloads}: {@code -Dresources -Dmetrics -Dpoints}), identity or
 * gzip, for {@code --seconds}; reports requests/s, points/s, the gRPC statuses and latency
 * percentiles (HdrHistogram). Each of the {@code --concurrency} loops is an exporter of its own
 * ({@code service.instance.id} {@code d<loop>-<resource>}) whose every request is built anew with
 * the current time, as an SDK's periodic export is: cumulative points advance, none is a repeat.
 * Building requests costs the driver CPU, which on a small machine the gateway shares.
 *
 * <p>{@code --signal traces} or {@code logs} sends {@code TraceService/Export} or {@code
 * LogsService/Export} instead, with 512 requests of 500 spans or records ({@link TracePayloads})
 * built before the run and sent in turn.
 *
 * <pre>
 * java -cp loadtest/target/benchmarks.jar dev.tally.loadtest.otlp.OtlpGrpcDriver \
 *   --port 4317 --concurrency 32 --connections 2 --seconds 30 --gzip true [--signal traces]
 * </pre>
 */
public final class OtlpGrpcDriver {
  /** Prebuilt bodies for {@code --signal traces} and {@code logs}, sent in turn. */
  static final int POOL = 512;

  private String export = "opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
  private Buffer[] pool; // null for metrics, whose requests are built anew
  private int nextBody;
  private int itemsPerRequest = OtlpPayloads.pointsPerRequest();
  private String items = "points";

  private final Recorder latency = new Recorder(3);
  private final LongAdder ok = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    new OtlpGrpcDriver().run(args);
  }

  private void run(String[] args) throws Exception {
    String host = Args.get(args, "--host", "127.0.0.1");
    int port = Integer.parseInt(Args.get(args, "--port", "4317"));
    int concurrency = Integer.parseInt(Args.get(args, "--concurrency", "32"));
    int connections = Integer.parseInt(Args.get(args, "--connections", "2"));
    int seconds = Integer.parseInt(Args.get(args, "--seconds", "30"));
    boolean gzip = Boolean.parseBoolean(Args.get(args, "--gzip", "true"));
    String signal = Args.get(args, "--signal", "metrics");
    if (!signal.equals("metrics")) {
      // 500 spans (50 traces of 10) or 500 records per request, built before the run: building
      // them during it would take the driver most of the CPU the gateway shares
      boolean traces = signal.equals("traces");
      export =
          traces
              ? "opentelemetry.proto.collector.trace.v1.TraceService/Export"
              : "opentelemetry.proto.collector.logs.v1.LogsService/Export";
      items = traces ? "spans" : "log records";
      itemsPerRequest = 500;
      pool = new Buffer[POOL];
      long now = System.currentTimeMillis() * 1_000_000L;
      for (int i = 0; i < POOL; i++) {
        pool[i] =
            Buffer.buffer(
                traces
                    ? TracePayloads.traces(50, (long) i * 50, now).toByteArray()
                    : TracePayloads.logs(500, now + i).toByteArray());
      }
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    GrpcClient client =
        GrpcClient.client(
            vertx,
            vertx.createHttpClient(
                new HttpClientOptions()
                    .setProtocolVersion(HttpVersion.HTTP_2)
                    .setHttp2ClearTextUpgrade(false)
                    .setHttp2MultiplexingLimit(Math.max(1, concurrency / connections + 1)),
                new PoolOptions().setHttp2MaxSize(connections)));
    SocketAddress server = SocketAddress.inetSocketAddress(port, host);

    // warm-up: 5 s of the same load, not measured
    load(vertx, client, server, gzip, concurrency, 5);
    latency.reset();
    ok.reset();
    errors.clear();
    long start = System.nanoTime();
    load(vertx, client, server, gzip, concurrency, seconds);
    double elapsed = (System.nanoTime() - start) / 1e9;

    org.HdrHistogram.Histogram h = latency.getIntervalHistogram();
    long calls = ok.sum();
    System.out.printf(
        "%,d OK calls in %.1f s: %,.0f requests/s, %,.0f %s/s (%d per request, %s, %d in flight on %d connection(s))%n",
        calls,
        elapsed,
        calls / elapsed,
        calls * itemsPerRequest / elapsed,
        items,
        itemsPerRequest,
        gzip ? "gzip" : "identity",
        concurrency,
        connections);
    System.out.printf(
        "latency ms: p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f; errors %s%n",
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(90) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getValueAtPercentile(99.9) / 1000.0,
        h.getMaxValue() / 1000.0,
        errors.isEmpty() ? "none" : errors);
    client.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /**
   * {@code concurrency} loops of calls, each starting its next call when one ends, until the end.
   */
  private void load(
      Vertx vertx,
      GrpcClient client,
      SocketAddress server,
      boolean gzip,
      int concurrency,
      int seconds)
      throws InterruptedException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    CountDownLatch done = new CountDownLatch(concurrency);
    vertx.runOnContext(
        v -> {
          for (int i = 0; i < concurrency; i++) {
            call(client, server, "d" + i, gzip, end, done);
          }
        });
    done.await(seconds + 60L, TimeUnit.SECONDS);
  }

  private void call(
      GrpcClient client,
      SocketAddress server,
      String instance,
      boolean gzip,
      long end,
      CountDownLatch done) {
    if (System.nanoTime() >= end) {
      done.countDown();
      return;
    }
    long start = System.nanoTime();
    Buffer payload =
        pool != null
            ? pool[nextBody++ % POOL]
            : Buffer.buffer(
                OtlpPayloads.request(
                        System.currentTimeMillis() * 1_000_000 + (start % 1_000_000), instance)
                    .toByteArray());
    Promise<GrpcStatus> status = Promise.promise();
    client
        .request(server)
        .compose(
            req -> {
              req.fullMethodName(export);
              if (gzip) {
                req.encoding("gzip");
              }
              return req.send(payload);
            })
        .onSuccess(
            resp -> {
              resp.handler(b -> {});
              resp.exceptionHandler(status::tryFail);
              resp.endHandler(x -> status.tryComplete(resp.status()));
            })
        .onFailure(status::tryFail);
    status
        .future()
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result() == GrpcStatus.OK) {
                latency.recordValue((System.nanoTime() - start) / 1000);
                ok.increment();
              } else {
                String key =
                    ar.succeeded() ? ar.result().name() : ar.cause().getClass().getSimpleName();
                errors.computeIfAbsent(key, k -> new LongAdder()).increment();
              }
              call(client, server, instance, gzip, end, done);
            });
  }
}
