package dev.tally.verticles.cluster;

import io.vertx.core.Future;
import io.vertx.core.spi.cluster.NodeInfo;
import java.util.List;

/** The members of a cluster as this node sees them now, for who asks (the cluster's API). */
public interface Membership {
  /** This node's id. */
  String self();

  /** The members that own series, by node id, this node included. */
  List<String> members();

  /** What a member published of itself (its {@code cluster} address). */
  Future<NodeInfo> info(String nodeId);
}
