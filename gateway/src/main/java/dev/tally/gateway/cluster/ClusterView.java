package dev.tally.gateway.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.core.spi.cluster.NodeListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This node's view of the cluster: its id, the members, and the {@link OwnerRing} over them, kept
 * current as members join and leave. Thread-safe: the ring is replaced whole.
 */
public final class ClusterView implements NodeListener {
  private final ClusterManager manager;
  private final String self;
  private volatile OwnerRing ring;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  private ClusterView(ClusterManager manager) {
    this.manager = manager;
    this.self = manager.getNodeId();
    this.ring = new OwnerRing(members(manager));
  }

  /** The view of a clustered Vert.x; null if it is not clustered. */
  public static ClusterView of(Vertx vertx) {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    if (manager == null) {
      return null;
    }
    ClusterView view = new ClusterView(manager);
    manager.nodeListener(view);
    return view;
  }

  private static List<String> members(ClusterManager manager) {
    List<String> nodes = new ArrayList<>(manager.getNodes());
    if (!nodes.contains(manager.getNodeId())) {
      nodes.add(manager.getNodeId());
    }
    return nodes;
  }

  /** This node's id. */
  public String self() {
    return self;
  }

  public OwnerRing ring() {
    return ring;
  }

  /** True if this node owns the series with this hash. */
  public boolean owns(int seriesHash) {
    return ring.owner(seriesHash).equals(self);
  }

  /** Runs {@code listener} (on a cluster manager thread) each time the members change. */
  public void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /** What a member published of itself ({@code cluster} address, {@code http} port). */
  public Future<NodeInfo> info(String nodeId) {
    Promise<NodeInfo> p = Promise.promise();
    manager.getNodeInfo(nodeId, p);
    return p.future();
  }

  @Override
  public void nodeAdded(String nodeId) {
    changed();
  }

  @Override
  public void nodeLeft(String nodeId) {
    changed();
  }

  private void changed() {
    ring = new OwnerRing(members(manager));
    listeners.forEach(Runnable::run);
  }
}
