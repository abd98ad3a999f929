package dev.tally.gateway.guard;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.internal.http.HttpServerRequestWrapper;

/**
 * A request whose body bytes are taken from a {@link RequestBudget} as they arrive and given back
 * when its response ends or its connection or stream goes away, and which is ended at once if it is
 * not answered within a deadline (a client that sends part of a body and stalls, or trickles it).
 * What reads the body (vertx-web's body handler, the gRPC deframer) sees only the bytes that fit:
 * the first chunk over the budget is dropped, and the request is refused as overloaded.
 *
 * <p>Confined to the request's event loop. Nothing else may set the response's end or close
 * handlers (the OTLP routes do not).
 */
public final class BudgetedRequest extends HttpServerRequestWrapper {
  private final HttpServerRequest request;
  private final RequestBudget budget;
  private final Handler<HttpServerRequest> overBudget;
  private final java.util.function.BiConsumer<HttpServerRequest, RuntimeException> failed;
  private final Vertx vertx;
  private final long timer;
  private long taken;
  private boolean done; // its bytes given back: nothing more is taken or passed on
  private boolean broken; // the reader threw: it is not called again, not even at the end
  private Handler<Throwable> exceptionHandler;

  /**
   * @param overBudget answers a request whose body went over the budget (overloaded, retry later)
   *     and ends it; called at most once, after the bytes were given back
   * @param failed answers a request whose body the reader threw on (vertx-grpc's deframer does on a
   *     compressed message without {@code grpc-encoding}) and ends it; at most once
   */
  public BudgetedRequest(
      HttpServerRequest request,
      Vertx vertx,
      RequestBudget budget,
      long timeoutMillis,
      Handler<HttpServerRequest> overBudget,
      java.util.function.BiConsumer<HttpServerRequest, RuntimeException> failed) {
    super((HttpServerRequestInternal) request);
    this.request = request;
    this.vertx = vertx;
    this.budget = budget;
    this.overBudget = overBudget;
    this.failed = failed;
    this.timer = vertx.setTimer(timeoutMillis, id -> timedOut());
    request.response().endHandler(v -> finish());
    request.response().closeHandler(v -> finish());
    request.exceptionHandler(
        e -> {
          finish();
          if (exceptionHandler != null) {
            exceptionHandler.handle(e);
          }
        });
  }

  @Override
  public HttpServerRequest handler(Handler<Buffer> handler) {
    if (handler == null) {
      request.handler(null);
      return this;
    }
    request.handler(
        chunk -> {
          if (done) {
            return; // answered already: the rest of the body is dropped
          }
          if (!budget.tryTake(chunk.length())) {
            finish();
            overBudget.handle(request);
            return;
          }
          taken += chunk.length();
          try {
            handler.handle(chunk);
          } catch (RuntimeException e) { // else the stream would never be answered
            broken = true;
            finish();
            failed.accept(request, e);
          }
        });
    return this;
  }

  @Override
  public HttpServerRequest endHandler(Handler<Void> handler) {
    request.endHandler(
        handler == null
            ? null
            : v -> {
              if (!broken) {
                handler.handle(v);
              }
            });
    return this;
  }

  @Override
  public HttpServerRequest exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    return this;
  }

  private void timedOut() {
    if (!done && !request.response().ended()) {
      budget.countTimeout();
      finish();
      Connections.abort(request);
    }
  }

  private void finish() {
    if (!done) {
      done = true;
      vertx.cancelTimer(timer);
      budget.give(taken);
    }
  }
}
