package dev.tally.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The messages one live-feed client has received (SSE events or WebSocket frames), in order, with
 * bounded waiting on Vert.x timers. Touched on the client's event loop; read after a wait.
 */
public final class LiveEvents {
  private final Vertx vertx;
  private final List<JsonObject> messages = new ArrayList<>();
  private final List<Long> ids = new ArrayList<>();
  private final StringBuilder partial = new StringBuilder();

  public LiveEvents(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Opens an SSE stream whose events land here. The body handler is set on the event loop as the
   * response arrives: set later from the test's thread, the first chunks (hello, backfill) could
   * pass before it.
   */
  public Future<HttpClientResponse> openSse(HttpClient client, RequestOptions request) {
    return client
        .request(request.setMethod(HttpMethod.GET).putHeader("accept", "text/event-stream"))
        .compose(
            req ->
                req.send()
                    .onSuccess(
                        resp -> resp.handler(b -> sseChunk(b.toString(StandardCharsets.UTF_8)))));
  }

  /** Takes a chunk of an SSE stream; complete events are parsed, the rest waits. */
  public synchronized void sseChunk(String chunk) {
    partial.append(chunk);
    int end;
    while ((end = partial.indexOf("\n\n")) >= 0) {
      String event = partial.substring(0, end);
      partial.delete(0, end + 2);
      String data = null;
      long id = 0;
      for (String line : event.split("\n")) {
        if (line.startsWith("data: ")) {
          data = line.substring(6);
        } else if (line.startsWith("id: ")) {
          id = Long.parseLong(line.substring(4));
        }
      }
      if (data != null) {
        messages.add(new JsonObject(data));
        ids.add(id);
      }
    }
  }

  /** Takes one WebSocket text frame. */
  public synchronized void frame(String text) {
    messages.add(new JsonObject(text));
    ids.add(0L);
  }

  public synchronized List<JsonObject> messages() {
    return new ArrayList<>(messages);
  }

  /** The SSE ids of the messages (0 where there was none). */
  public synchronized List<Long> ids() {
    return new ArrayList<>(ids);
  }

  /** The messages of one type. */
  public synchronized List<JsonObject> ofType(String type) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject m : messages) {
      if (type.equals(m.getString("type"))) {
        out.add(m);
      }
    }
    return out;
  }

  /** Completes with this once {@code done} holds; fails after {@code timeoutMillis}. */
  public Future<LiveEvents> until(Predicate<LiveEvents> done, long timeoutMillis) {
    Promise<LiveEvents> p = Promise.promise();
    poll(done, System.currentTimeMillis() + timeoutMillis, p);
    return p.future();
  }

  private void poll(Predicate<LiveEvents> done, long deadline, Promise<LiveEvents> p) {
    if (done.test(this)) {
      p.complete(this);
    } else if (System.currentTimeMillis() > deadline) {
      p.fail(new AssertionError("condition not met in time; messages: " + messages()));
    } else {
      vertx.setTimer(20, id -> poll(done, deadline, p));
    }
  }
}
