package dev.tally.gateway.cluster;

import dev.tally.protocol.otlp.OtlpPoint;
import dev.tally.verticles.aggregate.ShardSnapshot;
import dev.tally.verticles.bus.Addresses;
import dev.tally.verticles.bus.LocalCodec;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.cluster.DeltaBatch;
import dev.tally.verticles.cluster.DeltaBatchCodec;
import dev.tally.verticles.cluster.OwnerRing;
import dev.tally.verticles.cluster.SeriesDelta;
import dev.tally.verticles.stats.RateLimitedLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Moves series deltas between nodes over the clustered event bus. Each shard's snapshot carries
 * what it gathered of series other nodes own; they go, one {@link DeltaBatch} per owner per shard
 * per tick, to the owner's address {@code tally.cluster.deltas.<node id>} and wait for its
 * acknowledgement; deltas not acknowledged within {@link #ACK_MILLIS}, or not sent because too many
 * batches already wait for that owner ({@link #MAX_IN_FLIGHT_PER_SHARD}), are counted as lost. What
 * arrives for this node is split by shard (the routing hash of the series' lines or points) and
 * handed to the shards. Runs on one event loop, the only thread that counts the batches waiting for
 * each owner.
 */
public final class ClusterForwarder extends VerticleBase {
  private final RateLimitedLog refusals =
      new RateLimitedLog(Logger.getLogger(ClusterForwarder.class.getName()), 60_000);

  /** How long an owner has to acknowledge a batch. */
  public static final long ACK_MILLIS = 2000;

  /**
   * Batches per shard that may wait for one owner's answer. Beyond, the owner is not answering (a
   * hung node the cluster has not dropped yet): further batches are counted lost at once rather
   * than queued for it without bound.
   */
  static final int MAX_IN_FLIGHT_PER_SHARD = 8;

  static final String PREFIX = "tally.cluster.deltas.";

  /** Where a stopping node tells the others it is leaving (its node id). */
  static final String LEAVING = "tally.cluster.leaving";

  private final ClusterView view;
  private final ShardRouter router;
  private final ClusterStats stats;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final Map<String, Integer> inFlight =
      new HashMap<>(); // batches not yet answered, by owner
  private MessageConsumer<DeltaBatch> inbound;

  public ClusterForwarder(ClusterView view, ShardRouter router, ClusterStats stats) {
    this.view = view;
    this.router = router;
    this.stats = stats;
  }

  /** The address where a node takes the deltas of the series it owns. */
  static String address(String nodeId) {
    return PREFIX + nodeId;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    try {
      bus.registerCodec(new DeltaBatchCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // another deployment on this Vertx did
    }
    LocalCodec.register(vertx, DeltaBatch.class);
    LocalCodec.register(vertx, ShardSnapshot.class);
    consumers.add(bus.<ShardSnapshot>localConsumer(Addresses.SNAPSHOT, m -> forward(m.body())));
    consumers.add(bus.<String>consumer(LEAVING, m -> view.leaving(m.body())));
    inbound =
        bus.consumer(
            address(view.self()),
            m -> {
              try {
                receive(m.body()); // decoded here: a bad message fails this call, answered below
                m.reply(Boolean.TRUE);
              } catch (RuntimeException e) {
                stats.batchesRefused.increment();
                refusals.log(Level.WARNING, () -> "cluster: refused a delta batch", e);
                m.fail(400, "cannot take the delta batch: " + e.getMessage());
              }
            });
    return inbound.completion();
  }

  /**
   * Leaves the ring before the cluster: tells every node, this one included, that this node is
   * leaving, so that they stop sending it deltas at their next tick and this node's last tick goes
   * to the series' next owners; then stops taking deltas (those already on their way fail and are
   * counted lost by their senders).
   */
  public Future<Void> leave() {
    view.leaving(view.self());
    vertx.eventBus().publish(LEAVING, view.self());
    return stopReceiving();
  }

  private Future<Void> stopReceiving() {
    return inbound == null ? Future.succeededFuture() : inbound.unregister();
  }

  @Override
  public Future<?> stop() {
    return Future.all(
        stopReceiving(), Future.all(consumers.stream().map(MessageConsumer::unregister).toList()));
  }

  private void forward(ShardSnapshot snapshot) {
    if (snapshot.outgoing().isEmpty()) {
      return;
    }
    OwnerRing ring = view.ring();
    Map<String, List<SeriesDelta>> byOwner = new HashMap<>();
    for (SeriesDelta d : snapshot.outgoing()) {
      byOwner.computeIfAbsent(ring.owner(d.key().hashCode()), o -> new ArrayList<>()).add(d);
    }
    DeliveryOptions options =
        new DeliveryOptions().setCodecName(DeltaBatchCodec.NAME).setSendTimeout(ACK_MILLIS);
    for (Map.Entry<String, List<SeriesDelta>> e : byOwner.entrySet()) {
      int n = e.getValue().size();
      if (e.getKey().equals(view.self())) {
        receive(new DeltaBatch(view.self(), snapshot.tickMillis(), e.getValue())); // owned now
        continue;
      }
      String owner = e.getKey();
      int waiting = inFlight.getOrDefault(owner, 0);
      if (waiting >= MAX_IN_FLIGHT_PER_SHARD * router.shards()) {
        stats.deltasLost.add(n);
        continue;
      }
      inFlight.put(owner, waiting + 1);
      vertx
          .eventBus()
          .request(
              address(owner),
              new DeltaBatch(view.self(), snapshot.tickMillis(), e.getValue()),
              options)
          .onComplete(
              ar -> {
                inFlight.computeIfPresent(owner, (o, k) -> k > 1 ? k - 1 : null);
                if (ar.succeeded()) {
                  stats.deltasSent.add(n);
                } else {
                  stats.deltasLost.add(n);
                }
              });
    }
  }

  /**
   * Hands received deltas to the shards that hold (or will hold) their series. Each shard's share
   * takes a place in its queue and its bytes of the byte bound, as ingested batches do: a shard
   * that cannot keep up refuses it, and its deltas are dropped and counted, so an owner's backlog
   * stays bounded.
   */
  private void receive(DeltaBatch batch) {
    stats.deltasReceived.add(batch.deltas().size());
    List<List<SeriesDelta>> byShard = new ArrayList<>();
    long[] bytes = new long[router.shards()];
    for (int s = 0; s < router.shards(); s++) {
      byShard.add(new ArrayList<>());
    }
    for (SeriesDelta d : batch.deltas()) {
      int s = router.shardOf(OtlpPoint.routingHash(d.key()));
      byShard.get(s).add(d);
      bytes[s] += d.estimatedBytes();
    }
    for (int s = 0; s < byShard.size(); s++) {
      List<SeriesDelta> share = byShard.get(s);
      if (share.isEmpty()) {
        continue;
      }
      if (!router.tryReserve(s)) {
        stats.deltasDropped.add(share.size());
        continue;
      }
      if (!router.tryReserveBytes(bytes[s])) {
        router.release(s);
        stats.deltasDropped.add(share.size());
        continue;
      }
      vertx
          .eventBus()
          .send(
              Addresses.aggregate(s),
              new DeltaBatch(batch.from(), batch.tickMillis(), share, bytes[s]));
    }
  }
}
