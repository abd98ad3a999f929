package dev.tally.gateway.http;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * A stopping gateway's last steps as the HTTP listener sees them: once the shards have published
 * their last tick, it waits for that tick to arrive here and then for one {@code /metrics} scrape
 * to have served it, so that nothing aggregated before the stop is lost to the scraper. Made by the
 * gateway when it stops; its promises are completed on the HTTP verticle's event loop.
 */
public final class Drain {
  private final long lastTickMillis;
  private final Promise<Void> tickArrived = Promise.promise();
  private final Promise<Void> scraped = Promise.promise();

  /**
   * @param lastTickMillis the end of the shards' last tick: a tick at least this late is the last
   */
  public Drain(long lastTickMillis) {
    this.lastTickMillis = lastTickMillis;
  }

  /** Completes once the last tick has reached the HTTP listener. */
  public Future<Void> tickArrived() {
    return tickArrived.future();
  }

  /** Completes once a scrape has served the last tick. */
  public Future<Void> scraped() {
    return scraped.future();
  }

  void onTick(long tickMillis) {
    if (tickMillis >= lastTickMillis) {
      tickArrived.tryComplete();
    }
  }

  void onScrape(long tickMillis) {
    if (tickMillis >= lastTickMillis) {
      scraped.tryComplete();
    }
  }
}
