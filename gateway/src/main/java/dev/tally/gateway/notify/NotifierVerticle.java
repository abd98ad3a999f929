package dev.tally.gateway.notify;

import dev.tally.verticles.alert.AlertState;
import dev.tally.verticles.alert.AlertStates;
import dev.tally.verticles.alert.AlertView;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.LocalCodec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.logging.Logger;

/**
 * Sends alerts out, on its own event loop: to a JSON webhook every notification of an evaluation in
 * one POST ({@link Payloads#webhook}), and to Alertmanager's API v2 the firing and resolved alerts
 * whenever they change and every {@link #RESEND_MILLIS} (as Prometheus does, so that Alertmanager
 * keeps them). Each receiver has a bounded queue ({@link #QUEUE}) delivered in order with retries
 * and backoff ({@link Delivery}).
 */
public final class NotifierVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(NotifierVerticle.class.getName());

  /** Bodies waiting per receiver. */
  static final int QUEUE = 1000;

  /** How often Alertmanager hears of the firing alerts again when nothing changed. */
  static final long RESEND_MILLIS = 60_000;

  /** Longest wait for a receiver's answer. */
  static final long TIMEOUT_MILLIS = 10_000;

  private final Receiver webhook;
  private final Receiver alertmanager;
  private final String source;
  private HttpClient client;
  private String lastSent = "";
  private long lastSentMillis;

  /**
   * @param webhook the webhook's URL, or null
   * @param alertmanager Alertmanager's base URL ({@code http://host:9093}), or null
   * @param source the URL alerts point back to ({@code generatorURL})
   * @param webhookCounts where the webhook's deliveries are counted
   * @param alertmanagerCounts where Alertmanager's deliveries are counted
   */
  public NotifierVerticle(
      String webhook,
      String alertmanager,
      String source,
      Delivery.Counts webhookCounts,
      Delivery.Counts alertmanagerCounts) {
    this.webhook = webhook == null ? null : new Receiver(webhook, webhookCounts);
    this.alertmanager =
        alertmanager == null
            ? null
            : new Receiver(
                alertmanager.replaceAll("/+$", "") + "/api/v2/alerts", alertmanagerCounts);
    this.source = source;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, AlertStates.class);
    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5000));
    return vertx
        .eventBus()
        .<AlertStates>localConsumer(Addresses.ALERTS, msg -> onStates(msg.body()))
        .completion();
  }

  @Override
  public Future<?> stop() {
    return client.close();
  }

  private void onStates(AlertStates states) {
    if (webhook != null && !states.notifications().isEmpty()) {
      webhook.queue.offer(Payloads.webhook(states.notifications()).encode());
      webhook.pump();
    }
    if (alertmanager != null) {
      String now = sentKey(states);
      if (!now.equals(lastSent) || states.atMillis() - lastSentMillis >= RESEND_MILLIS) {
        if (!now.isEmpty() || !lastSent.isEmpty()) {
          // each body is the whole state: a newer one replaces those still waiting
          alertmanager.queue.replaceWaiting(
              Payloads.alertmanager(states.alerts(), states.atMillis(), RESEND_MILLIS, source)
                  .encode());
          alertmanager.pump();
        }
        lastSent = now;
        lastSentMillis = states.atMillis();
      }
    }
  }

  /** The alerts Alertmanager is told of, with their states: a change means a send. */
  private static String sentKey(AlertStates states) {
    StringBuilder sb = new StringBuilder();
    for (AlertView a : states.alerts()) {
      if (a.state() != AlertState.PENDING && !a.silenced()) {
        sb.append(a.id()).append('=').append(a.state()).append(';');
      }
    }
    return sb.toString();
  }

  /** One receiver: its URL and queue, and whether a body is on its way. */
  private final class Receiver {
    final String url;
    final Delivery queue;
    boolean busy;

    Receiver(String url, Delivery.Counts counts) {
      this.url = url;
      this.queue = new Delivery(QUEUE, counts);
    }

    /** Sends the head unless one is on its way; the next follows when it is answered. */
    void pump() {
      if (!busy && queue.head() != null) {
        busy = true;
        post(
            url,
            queue,
            () -> {
              busy = false;
              pump();
            });
      }
    }
  }

  /** POSTs the queue's head; on an answer other than 2xx, retries after the backoff. */
  private void post(String url, Delivery queue, Runnable next) {
    client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url)
                .setIdleTimeout(TIMEOUT_MILLIS)
                .putHeader("content-type", "application/json"))
        .compose(
            req ->
                req.send(Buffer.buffer(queue.head()))
                    .compose(resp -> resp.body().map(b -> resp.statusCode())))
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result() / 100 == 2) {
                queue.delivered();
                next.run();
                return;
              }
              long wait = queue.failedAttempt();
              LOG.warning(
                  "alerts: "
                      + url
                      + " answered "
                      + (ar.succeeded() ? ar.result() : ar.cause())
                      + (wait > 0 ? ", retrying in " + wait + " ms" : ", giving this one up"));
              if (wait > 0) {
                vertx.setTimer(wait, id -> next.run());
              } else {
                next.run();
              }
            });
  }
}
