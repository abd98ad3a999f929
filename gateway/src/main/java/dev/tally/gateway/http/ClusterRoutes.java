package dev.tally.gateway.http;

import dev.tally.verticles.cluster.Membership;
import dev.tally.verticles.snapshot.TickSnapshot;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /api/cluster} (CONTRACT §10): {@code {"self","members":[..],"owned_series":n}}, the
 * members as their cluster addresses (host:port), with {@code nodes} giving each member's id. A
 * gateway that is not clustered answers itself alone, owning every series.
 */
final class ClusterRoutes {
  private final Membership cluster; // null when not clustered
  private final Supplier<TickSnapshot> local;

  /**
   * @param local this node's latest tick (the series it shows on {@code /metrics})
   */
  ClusterRoutes(Membership cluster, Supplier<TickSnapshot> local) {
    this.cluster = cluster;
    this.local = local;
  }

  void mount(Router router) {
    router.get("/api/cluster").handler(this::cluster);
  }

  private void cluster(RoutingContext rc) {
    Membership view = cluster;
    // this node's tick holds only the series it owns: the shards forward the others
    int ownedSeries = local.get().series().size();
    if (view == null) {
      rc.json(
          new JsonObject()
              .put("clustered", false)
              .put("self", "local")
              .put("members", new JsonArray().add("local"))
              .put("owned_series", ownedSeries));
      return;
    }
    List<String> ids = view.members();
    List<Future<NodeInfo>> infos = new ArrayList<>();
    for (String id : ids) {
      infos.add(view.info(id));
    }
    Future.join(infos)
        .onComplete(
            ar -> {
              JsonArray members = new JsonArray();
              JsonArray nodes = new JsonArray();
              String self = view.self();
              for (int i = 0; i < infos.size(); i++) {
                Future<NodeInfo> f = infos.get(i);
                String id = ids.get(i);
                String address =
                    f.succeeded() && f.result().metadata() != null
                        ? f.result().metadata().getString("cluster", id)
                        : id;
                members.add(address);
                nodes.add(new JsonObject().put("id", id).put("address", address));
                if (id.equals(view.self())) {
                  self = address;
                }
              }
              rc.json(
                  new JsonObject()
                      .put("clustered", true)
                      .put("self", self)
                      .put("members", members)
                      .put("owned_series", ownedSeries)
                      .put("nodes", nodes));
            });
  }
}
