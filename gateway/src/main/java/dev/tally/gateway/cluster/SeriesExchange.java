package dev.tally.gateway.cluster;

import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.cluster.ClusterTicks;
import dev.tally.verticles.cluster.NodeTick;
import dev.tally.verticles.snapshot.TickSnapshot;
import dev.tally.verticles.stats.RateLimitedLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives every node the global view (issue 10: each node's dashboard shows global values). At each
 * of this node's ticks it publishes the series it owns, encoded ({@link NodeTick}), to every node
 * on {@code tally.cluster.series}, and publishes locally on {@link Addresses#GLOBAL_TICK} its own
 * series with the latest of every other member's ({@link ClusterTicks}), which the live feed and
 * the series API show. {@code /metrics} and the alert rules keep to the series this node owns.
 * Deployed as a worker: encoding, decoding and merging 100 000 series take longer than an event
 * loop may be held.
 */
public final class SeriesExchange extends VerticleBase {
  private final RateLimitedLog refusals =
      new RateLimitedLog(Logger.getLogger(SeriesExchange.class.getName()), 60_000);
  static final String ADDRESS = "tally.cluster.series";

  /** The header naming the publishing node. */
  static final String NODE = "node";

  /** Ticks after which a quiet node's series are no longer shown. */
  static final int MAX_AGE_TICKS = 5;

  private final ClusterView view;
  private final ClusterStats stats;
  private final long tickMillis;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  public SeriesExchange(ClusterView view, ClusterStats stats, long tickMillis) {
    this.view = view;
    this.stats = stats;
    this.tickMillis = tickMillis;
  }

  @Override
  public Future<?> start() {
    LocalCodec.register(vertx, TickSnapshot.class);
    ClusterTicks ticks = new ClusterTicks(MAX_AGE_TICKS * tickMillis);
    DeliveryOptions from = new DeliveryOptions().addHeader(NODE, view.self());
    EventBus bus = vertx.eventBus();
    consumers.add(
        bus.<TickSnapshot>localConsumer(
            Addresses.TICK,
            m -> {
              TickSnapshot local = m.body();
              Buffer own = new NodeTick(view.self(), local.tickMillis(), local.series()).encode();
              stats.viewBytesSent.add(own.length());
              bus.publish(ADDRESS, own, from);
              bus.publish(Addresses.GLOBAL_TICK, ticks.global(local, view.ring().members()));
            }));
    consumers.add(
        bus.<Buffer>consumer(
            ADDRESS,
            m -> {
              if (view.self().equals(m.headers().get(NODE))) {
                return; // this node's own, delivered here too: not decoded
              }
              try {
                ticks.peer(NodeTick.decode(m.body()), System.currentTimeMillis());
              } catch (RuntimeException e) {
                stats.viewsRefused.increment(); // a node of another version, a bad message, a bug
                refusals.log(
                    Level.WARNING,
                    () -> "cluster: refused the tick of " + m.headers().get(NODE),
                    e);
              }
            }));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
