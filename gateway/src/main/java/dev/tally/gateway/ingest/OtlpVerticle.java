package dev.tally.gateway.ingest;

import dev.tally.gateway.config.CurrentOptions;
import dev.tally.gateway.guard.BudgetedRequest;
import dev.tally.gateway.guard.ConnectionLimit;
import dev.tally.gateway.guard.Connections;
import dev.tally.gateway.guard.HeapGuard;
import dev.tally.gateway.guard.Listeners;
import dev.tally.gateway.security.Authenticator;
import dev.tally.gateway.security.Tls;
import dev.tally.protocol.model.LogBatch;
import dev.tally.protocol.model.SpanBatch;
import dev.tally.protocol.otlp.OtlpBatch;
import dev.tally.protocol.otlp.OtlpEncoding;
import dev.tally.protocol.otlp.OtlpRequestDecoder;
import dev.tally.protocol.otlp.OtlpRequestError;
import dev.tally.protocol.otlp.OtlpResponses;
import dev.tally.protocol.otlp.OtlpSignal;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.stats.OtlpTransport;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.stats.RateLimitedLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The OTLP listeners (CONTRACT §3, §4, §9): gRPC {@code MetricsService}, {@code TraceService} and
 * {@code LogsService} {@code Export} on one port, and HTTP {@code POST /v1/metrics}, {@code
 * /v1/traces} and {@code /v1/logs} on the other. Requests are decoded and mapped on this verticle's
 * event loop and handed to the shards by {@link OtlpIngest}. Several instances share the two ports
 * (Vert.x spreads connections over their event loops).
 *
 * <p>The request body is taken as bytes on both transports (vertx-grpc's own gzip and protobuf
 * decoding would inflate without a limit and cancel the stream on bad input) and decoded by {@link
 * OtlpRequestDecoder}, so that both answer bad input with the codes of §4.
 */
public final class OtlpVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(OtlpVerticle.class.getName());

  /** One line a minute at most: a failure can repeat with every request. */
  private static final RateLimitedLog FAILURES = new RateLimitedLog(LOG, 60_000);

  /** The {@code Export} method of a signal's gRPC service, taking and giving bytes. */
  static ServiceMethod<Buffer, Buffer> export(OtlpSignal signal) {
    return ServiceMethod.server(
        ServiceName.create(signal.grpcService()),
        "Export",
        GrpcMessageEncoder.IDENTITY,
        GrpcMessageDecoder.IDENTITY);
  }

  /** Seconds an overloaded gateway asks HTTP clients to wait before they retry. */
  static final String RETRY_AFTER_SECONDS = "1";

  /**
   * Bodies larger than this (a gzip body counts by what it inflates to) are decoded and mapped on a
   * worker thread: an 8 MiB JSON body takes on the order of 150 ms, which the event loop, shared
   * with a StatsD socket and a shard, must not spend. Smaller bodies are handled in place.
   */
  static final int INLINE_BYTES = 128 * 1024;

  static final String MEMORY_LIMIT_MESSAGE =
      "the gateway's heap is over its memory limit, retry later";

  /** Longest wait for the requests in flight when the gateway stops. */
  static final long SHUTDOWN_MILLIS = 3000;

  /**
   * Large requests one instance lets the worker pool work on at once. Their bodies are bounded
   * anyway, by {@code max-inflight-bytes}; this bounds the wait in the pool's queue. At 4, ten
   * exporters posting JSON (inflated past {@link #INLINE_BYTES}) ten times a second on two cores
   * got 503 for 0.4-0.6 % of their requests (the load kit's first run failed its assertion).
   */
  static final int MAX_OFFLOADED = 16;

  private final String host;
  private final int grpcPort;
  private final int httpPort;
  private final int maxRequestSize;
  private final ShardRouter router;
  private final PipelineStats stats;
  private final Set<String> promoted;
  private final CurrentOptions options;
  private final Authenticator auth;
  private final HeapGuard guard;
  private final Inbox traces;
  private final Inbox logs;
  private final Listeners listeners;
  private OtlpIngest ingest;
  private int offloaded; // large requests on workers; touched on this verticle's event loop only
  private HttpServer grpcServer;
  private HttpServer httpServer;

  /**
   * @param traces the bound of span batches waiting for the trace store
   * @param logs the bound of record batches waiting for the log store
   */
  public OtlpVerticle(
      CurrentOptions options,
      HeapGuard guard,
      ShardRouter router,
      Inbox traces,
      Inbox logs,
      PipelineStats stats,
      Listeners listeners) {
    this.listeners = listeners;
    this.options = options;
    this.traces = traces;
    this.logs = logs;
    this.guard = guard;
    this.auth = new Authenticator(options);
    this.promoted = Set.copyOf(options.get().otlpResourceLabels());
    this.host = options.get().bind();
    this.grpcPort = options.get().otlpGrpcPort();
    this.httpPort = options.get().otlpHttpPort();
    this.maxRequestSize = options.get().maxRequestSize();
    this.router = router;
    this.stats = stats;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, OtlpBatch.class);
    LocalCodec.register(vertx, SpanBatch.class);
    LocalCodec.register(vertx, LogBatch.class);
    EventBus bus = vertx.eventBus();
    String[] addresses = new String[router.shards()];
    for (int s = 0; s < addresses.length; s++) {
      addresses[s] = Addresses.aggregate(s);
    }
    ingest =
        new OtlpIngest(
            router,
            traces,
            logs,
            stats,
            promoted,
            options.get().labelLimits(),
            options.get().traceStoreOptions().keeping(),
            new OtlpRequestDecoder(maxRequestSize),
            new OtlpIngest.Sender() {
              @Override
              public void toShard(int shard, OtlpBatch batch) {
                bus.send(addresses[shard], batch);
              }

              @Override
              public void toTraces(SpanBatch batch) {
                bus.send(Addresses.TRACES, batch);
              }

              @Override
              public void toLogs(LogBatch batch) {
                bus.send(Addresses.LOGS, batch);
              }
            });

    GrpcServer grpc =
        GrpcServer.server(vertx, new GrpcServerOptions().setMaxMessageSize(maxRequestSize));
    Router http = Router.router(vertx);
    for (OtlpSignal signal : OtlpSignal.values()) {
      grpc.callHandler(export(signal), call -> grpcExport(signal, call));
      http.post(signal.httpPath()).handler(this::admit); // a route of its own: before the body
      http.post(signal.httpPath())
          .handler(BodyHandler.create(false).setBodyLimit(maxRequestSize))
          .handler(this::checkContentType)
          .handler(rc -> httpExport(signal, rc))
          .failureHandler(this::httpFailure);
    }

    ConnectionLimit grpcLimit = listeners.grpcConnections();
    ConnectionLimit httpLimit = listeners.httpOtlpConnections();
    grpcServer =
        listeners
            .server(vertx, grpcLimit, options.get(), true)
            .requestHandler(req -> grpc.handle(budgeted(req, OtlpTransport.GRPC)));
    httpServer =
        listeners
            .server(vertx, httpLimit, options.get(), false)
            .requestHandler(req -> http.handle(budgeted(req, OtlpTransport.HTTP)));
    Tls.reloadOnChange(vertx, options, grpcServer, httpServer);
    return grpcServer
        .listen(grpcPort, host)
        .onSuccess(s -> listeners.listening(grpcLimit, s.actualPort()))
        .compose(s -> httpServer.listen(httpPort, host))
        .onSuccess(s -> listeners.listening(httpLimit, s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    // graceful: nothing new is accepted, the requests in flight are answered, and the connections
    // close (HTTP/2 with GOAWAY) once they are, or after the timeout
    long timeout = Math.min(listeners.requestTimeoutMillis(), SHUTDOWN_MILLIS);
    return Future.all(
        grpcServer.shutdown(timeout, TimeUnit.MILLISECONDS),
        httpServer.shutdown(timeout, TimeUnit.MILLISECONDS));
  }

  /** The bound gRPC port; valid once started. */
  public int grpcPort() {
    return grpcServer.actualPort();
  }

  /** The bound HTTP port; valid once started. */
  public int httpPort() {
    return httpServer.actualPort();
  }

  /**
   * The request with its body bytes taken from the shared budget and a deadline: one that would go
   * over the budget is answered as overloaded and ended, one not answered in time is ended.
   */
  private HttpServerRequest budgeted(HttpServerRequest req, OtlpTransport transport) {
    return new BudgetedRequest(
        req,
        vertx,
        listeners.budget(),
        listeners.requestTimeoutMillis(),
        r -> overBudget(r, transport),
        (r, e) -> unreadable(r, transport, e));
  }

  /**
   * A body its reader threw on: for gRPC, a message flagged compressed without {@code
   * grpc-encoding}, which the gRPC specification answers with INTERNAL. The stream or connection
   * stays (a reset right after the answer may keep a client from reading it); what else the client
   * sends on it is dropped unread.
   */
  private void unreadable(HttpServerRequest req, OtlpTransport transport, RuntimeException e) {
    String message =
        req.getHeader("grpc-encoding") == null
            ? "a message flagged compressed without a grpc-encoding header"
            : "undecodable gRPC message framing: " + e;
    refuse(req, transport, OtlpRequestError.UNDECODABLE, 13 /* INTERNAL */, message);
  }

  /** A body over the budget: answered as overloaded, then the rest of it is not read. */
  private void overBudget(HttpServerRequest req, OtlpTransport transport) {
    OtlpRequestError e = OtlpRequestError.OVERLOADED;
    refuse(
            req,
            transport,
            e,
            e.grpcStatus(),
            "overloaded: request bodies in progress fill the gateway's budget, retry later")
        .onComplete(v -> Connections.abort(req));
  }

  /**
   * Answers a request that never reached a route or a gRPC call (a gRPC trailers-only answer, or
   * the HTTP status with the OTLP status body of its encoding) and counts it; if the response was
   * already begun, ends the exchange instead.
   */
  private Future<Void> refuse(
      HttpServerRequest req,
      OtlpTransport transport,
      OtlpRequestError error,
      int grpcStatus,
      String message) {
    stats.addOtlpRequestRejected(transport, error);
    HttpServerResponse resp = req.response();
    if (resp.ended() || resp.headWritten()) {
      Connections.abort(req);
      return Future.succeededFuture();
    }
    if (transport == OtlpTransport.GRPC) {
      return resp.putHeader("content-type", "application/grpc")
          .putHeader("grpc-status", String.valueOf(grpcStatus))
          .putHeader("grpc-message", message)
          .end();
    }
    OtlpEncoding type = OtlpEncoding.ofContentType(req.getHeader("content-type"));
    OtlpEncoding encoding = type == null ? OtlpEncoding.PROTOBUF : type;
    if (error.retryable()) {
      resp.putHeader("retry-after", RETRY_AFTER_SECONDS);
    }
    return resp.setStatusCode(error.httpStatus())
        .putHeader("content-type", encoding.contentType())
        .putHeader("connection", "close")
        .end(Buffer.buffer(encoding.encode(OtlpResponses.status(error, message))));
  }

  /** A unary call: the first message is answered, an oversized or missing one gets an error. */
  private void grpcExport(OtlpSignal signal, GrpcServerRequest<Buffer, Buffer> call) {
    if (!auth.allows(Authenticator.bearer(call.headers().get("authorization")))) {
      grpcError(call, OtlpRequestError.UNAUTHENTICATED, "a bearer token is required");
      return;
    }
    if (guard.refusing()) {
      grpcError(call, OtlpRequestError.MEMORY_LIMIT, MEMORY_LIMIT_MESSAGE);
      return;
    }
    boolean[] answered = new boolean[1];
    call.invalidMessageHandler(
        invalid -> {
          if (!answered[0]) {
            answered[0] = true;
            grpcError(
                call,
                OtlpRequestError.TOO_LARGE,
                "message over the size limit of " + maxRequestSize + " bytes");
          }
        });
    call.messageHandler(
        msg -> {
          if (!answered[0]) {
            answered[0] = true;
            handleGrpcMessage(signal, call, msg);
          }
        });
    call.endHandler(
        v -> {
          if (!answered[0]) {
            answered[0] = true;
            grpcError(call, OtlpRequestError.UNDECODABLE, "request without a message");
          }
        });
  }

  private void handleGrpcMessage(
      OtlpSignal signal, GrpcServerRequest<Buffer, Buffer> call, GrpcMessage msg) {
    String encoding = msg.encoding();
    if (!"identity".equals(encoding) && !"gzip".equals(encoding)) {
      grpcError(call, OtlpRequestError.UNDECODABLE, "unsupported grpc-encoding " + encoding);
      return;
    }
    process(
            signal,
            msg.payload().getBytes(),
            "gzip".equals(encoding),
            OtlpEncoding.PROTOBUF,
            OtlpTransport.GRPC)
        .onComplete(
            ar -> {
              OtlpIngest.Outcome o =
                  ar.succeeded() ? ar.result() : failed(OtlpTransport.GRPC, ar.cause());
              if (o.error != null) {
                call.response()
                    .status(GrpcStatus.valueOf(o.error.grpcStatus()))
                    .statusMessage(o.errorMessage)
                    .end();
              } else {
                call.response()
                    .end(Buffer.buffer(OtlpResponses.export(signal, o.rejections).toByteArray()));
              }
            });
  }

  /**
   * Decodes, maps and sends a body: in place if small, else on a worker thread, at most {@link
   * #MAX_OFFLOADED} at a time per instance (beyond, the request is refused as overloaded, so that
   * large bodies cannot pile up in the worker pool's queue). Never throws: a failure is a failed
   * future, answered as an internal error.
   */
  private Future<OtlpIngest.Outcome> process(
      OtlpSignal signal,
      byte[] body,
      boolean gzip,
      OtlpEncoding encoding,
      OtlpTransport transport) {
    if (ingest.saturated(signal)) { // refused before decoding: overload costs little
      stats.addOtlpRequestRejected(transport, OtlpRequestError.OVERLOADED);
      return Future.succeededFuture(
          new OtlpIngest.Outcome(null, OtlpRequestError.OVERLOADED, OtlpIngest.QUEUES_FULL));
    }
    byte[] inline = inlineBody(body, gzip);
    if (inline != null) {
      try {
        return Future.succeededFuture(
            ingest.process(signal, inline, gzip && inline == body, encoding, transport));
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    if (offloaded >= MAX_OFFLOADED) {
      stats.addOtlpRequestRejected(transport, OtlpRequestError.OVERLOADED);
      return Future.succeededFuture(
          new OtlpIngest.Outcome(
              null,
              OtlpRequestError.OVERLOADED,
              "overloaded: " + offloaded + " large requests in progress, retry later"));
    }
    offloaded++;
    return vertx
        .executeBlocking(() -> ingest.process(signal, body, gzip, encoding, transport), false)
        .onComplete(ar -> offloaded--); // back on this verticle's event loop
  }

  /**
   * The body to decode in place, already inflated if it was gzip; null if it is (or inflates to)
   * more than {@link #INLINE_BYTES}, for a worker. A gzip body is judged by what it inflates to,
   * not by its size: 16 KB can inflate to megabytes. A body that is not valid gzip is returned as
   * it is, for the decoder to answer.
   */
  private static byte[] inlineBody(byte[] body, boolean gzip) {
    if (body.length > INLINE_BYTES) {
      return null;
    }
    if (!gzip) {
      return body;
    }
    try {
      return OtlpRequestDecoder.inflate(body, INLINE_BYTES);
    } catch (java.io.IOException e) {
      return body; // the decoder says why, in place: it fails at once
    }
  }

  /** A request whose processing threw: a bug, answered as a server error rather than a hang. */
  private OtlpIngest.Outcome failed(OtlpTransport transport, Throwable cause) {
    FAILURES.log(Level.WARNING, () -> "OTLP request processing failed", cause);
    stats.addOtlpRequestRejected(transport, OtlpRequestError.INTERNAL);
    return new OtlpIngest.Outcome(null, OtlpRequestError.INTERNAL, String.valueOf(cause));
  }

  private void grpcError(
      GrpcServerRequest<Buffer, Buffer> call, OtlpRequestError error, String message) {
    stats.addOtlpRequestRejected(OtlpTransport.GRPC, error);
    call.response().status(GrpcStatus.valueOf(error.grpcStatus())).statusMessage(message).end();
  }

  /**
   * Before the body is read: a request without a valid token gets 401, and while the heap guard
   * refuses, 503 with {@code Retry-After}; neither body is read.
   */
  private void admit(RoutingContext rc) {
    boolean allowed = auth.allows(Authenticator.bearer(rc.request().getHeader("authorization")));
    if (allowed && !guard.refusing()) {
      rc.next();
      return;
    }
    OtlpEncoding encoding = OtlpEncoding.ofContentType(rc.request().getHeader("content-type"));
    if (!allowed) {
      rc.response().putHeader("www-authenticate", "Bearer realm=\"tally\"");
    } else {
      rc.response().putHeader("retry-after", RETRY_AFTER_SECONDS);
    }
    httpError(
        rc,
        encoding == null ? OtlpEncoding.PROTOBUF : encoding,
        allowed ? OtlpRequestError.MEMORY_LIMIT : OtlpRequestError.UNAUTHENTICATED,
        allowed ? MEMORY_LIMIT_MESSAGE : "a bearer token is required");
  }

  private void checkContentType(RoutingContext rc) {
    OtlpEncoding encoding = OtlpEncoding.ofContentType(rc.request().getHeader("content-type"));
    String contentEncoding = rc.request().getHeader("content-encoding");
    if (encoding == null) {
      httpError(
          rc,
          OtlpEncoding.PROTOBUF,
          OtlpRequestError.UNSUPPORTED_MEDIA_TYPE,
          "content type must be application/x-protobuf or application/json");
    } else if (contentEncoding != null
        && !contentEncoding.equalsIgnoreCase("gzip")
        && !contentEncoding.equalsIgnoreCase("identity")) {
      httpError(
          rc,
          encoding,
          OtlpRequestError.UNSUPPORTED_MEDIA_TYPE,
          "content encoding must be gzip or identity, was " + contentEncoding);
    } else {
      rc.put(OtlpEncoding.class.getName(), encoding);
      rc.next();
    }
  }

  private void httpExport(OtlpSignal signal, RoutingContext rc) {
    OtlpEncoding encoding = rc.get(OtlpEncoding.class.getName());
    Buffer body = rc.body().buffer();
    process(
            signal,
            body == null ? new byte[0] : body.getBytes(),
            "gzip".equalsIgnoreCase(rc.request().getHeader("content-encoding")),
            encoding,
            OtlpTransport.HTTP)
        .onComplete(
            ar -> {
              OtlpIngest.Outcome o =
                  ar.succeeded() ? ar.result() : failed(OtlpTransport.HTTP, ar.cause());
              if (o.error != null && o.error.retryable()) {
                rc.response().putHeader("retry-after", RETRY_AFTER_SECONDS);
              }
              if (o.error != null) {
                httpStatus(rc, encoding, o.error, o.errorMessage);
              } else {
                rc.response()
                    .putHeader("content-type", encoding.contentType())
                    .end(
                        Buffer.buffer(encoding.encode(OtlpResponses.export(signal, o.rejections))));
              }
            });
  }

  /** BodyHandler fails the request with 413 when the body is over the limit. */
  private void httpFailure(RoutingContext rc) {
    OtlpEncoding encoding = rc.get(OtlpEncoding.class.getName());
    if (rc.statusCode() == 413) {
      httpError(
          rc,
          encoding == null ? OtlpEncoding.PROTOBUF : encoding,
          OtlpRequestError.TOO_LARGE,
          "request body over the limit of " + maxRequestSize + " bytes");
    } else {
      rc.next();
    }
  }

  private void httpError(
      RoutingContext rc, OtlpEncoding encoding, OtlpRequestError error, String message) {
    stats.addOtlpRequestRejected(OtlpTransport.HTTP, error);
    httpStatus(rc, encoding, error, message);
  }

  private static void httpStatus(
      RoutingContext rc, OtlpEncoding encoding, OtlpRequestError error, String message) {
    if (rc.response().ended()) {
      return;
    }
    rc.response()
        .setStatusCode(error.httpStatus())
        .putHeader("content-type", encoding.contentType())
        .end(Buffer.buffer(encoding.encode(OtlpResponses.status(error, message))));
  }
}
