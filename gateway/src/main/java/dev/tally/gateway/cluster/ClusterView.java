package dev.tally.gateway.cluster;

import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import dev.tally.protocol.model.SeriesKey;
import dev.tally.verticles.cluster.Membership;
import dev.tally.verticles.cluster.OwnerRing;
import dev.tally.verticles.cluster.Ownership;
import dev.tally.verticles.stats.SelfMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's view of the cluster: its id, the members, and the {@link OwnerRing} over them, kept
 * current as members join and leave. It listens to Hazelcast's membership itself: Vert.x's cluster
 * manager takes one node listener, which Vert.x's own clustered event bus needs. Thread-safe: the
 * ring is replaced whole.
 */
public final class ClusterView
    implements InitialMembershipListener, Ownership, Membership, MeterBinder {
  private final ClusterManager manager;
  private final String self;
  private volatile OwnerRing ring;
  private volatile Set<Member> members = Set.of();
  private final Set<String> leaving = ConcurrentHashMap.newKeySet();

  private ClusterView(HazelcastClusterManager manager) {
    this.manager = manager;
    this.self = manager.getNodeId();
    update(manager.getHazelcastInstance().getCluster().getMembers());
  }

  /** The view of a Vert.x clustered on Hazelcast; null if it is not clustered. */
  public static ClusterView of(Vertx vertx) {
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    if (!(manager instanceof HazelcastClusterManager)) {
      return null;
    }
    HazelcastClusterManager hazelcast = (HazelcastClusterManager) manager;
    ClusterView view = new ClusterView(hazelcast);
    // an initial-membership listener gets the members at registration, then every change: none is
    // missed between reading the members and listening
    hazelcast.getHazelcastInstance().getCluster().addMembershipListener(view);
    return view;
  }

  /** The attribute where vertx-hazelcast keeps a member's Vert.x node id. */
  static final String NODE_ID_ATTRIBUTE = "__vertx.nodeId";

  /** A member's Vert.x node id. */
  private static String id(Member m) {
    String id = m.getAttribute(NODE_ID_ATTRIBUTE);
    return id != null ? id : m.getUuid().toString();
  }

  /** The ring of the Hazelcast members that are not leaving, by their Vert.x node ids. */
  private synchronized void update(Set<Member> current) {
    members = current;
    List<String> ids = new ArrayList<>(current.size());
    Set<String> present = new java.util.HashSet<>();
    for (Member m : current) {
      present.add(id(m));
      if (!leaving.contains(id(m))) {
        ids.add(id(m));
      }
    }
    leaving.retainAll(present); // gone for good: forget
    if (ids.isEmpty()) {
      ids.add(self); // everyone is leaving: keep what this node has
    }
    ring = new OwnerRing(ids);
  }

  /**
   * Takes a node out of the ring before it leaves the cluster (it said so while stopping), so that
   * nodes stop sending it deltas now rather than when Hazelcast sees it gone.
   */
  public void leaving(String nodeId) {
    leaving.add(nodeId);
    update(members);
  }

  @Override
  public String self() {
    return self;
  }

  public OwnerRing ring() {
    return ring;
  }

  @Override
  public List<String> members() {
    return ring.members();
  }

  @Override
  public boolean owns(SeriesKey key) {
    return ring.owner(key.hashCode()).equals(self);
  }

  /** The ring: replaced whole when the members change. */
  @Override
  public Object epoch() {
    return ring;
  }

  @Override
  public Future<NodeInfo> info(String nodeId) {
    Promise<NodeInfo> p = Promise.promise();
    manager.getNodeInfo(nodeId, p);
    return p.future();
  }

  @Override
  public void bindTo(MeterRegistry r) {
    SelfMeters.gauge(
        r,
        "tally_cluster_members",
        "Members of the cluster that own series, this node included (a member that said it is leaving is not counted).",
        this,
        v -> v.ring().members().size());
  }

  @Override
  public void init(InitialMembershipEvent event) {
    update(event.getMembers());
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    update(event.getMembers());
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
    update(event.getMembers());
  }
}
