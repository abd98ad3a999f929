package dev.tally.gateway.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.tally.gateway.config.TallyOptions;
import io.netty.util.NetUtil;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.List;

/**
 * The Hazelcast configuration of a clustered gateway: Vert.x's default (the maps and multimaps its
 * clustered event bus needs) with this node's address and port, members by TCP/IP list, and no
 * multicast, auto-detection or phone-home.
 */
public final class HazelcastSetup {
  /** The Hazelcast cluster name: gateways only join gateways. */
  static final String CLUSTER_NAME = "tally";

  /** Seconds without a heartbeat after which a member is taken out of the cluster. */
  static final int SILENT_SECONDS = 10;

  private HazelcastSetup() {}

  public static Config config(TallyOptions options) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(CLUSTER_NAME);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false"); // the gateway stops it
    // a member silent for 10 s (hung, or its machine gone) leaves the ring, rather than after
    // Hazelcast's default 60 s: until then the deltas sent to it are lost (and counted)
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(SILENT_SECONDS));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(options.clusterPort()).setPortAutoIncrement(false);
    network.setPublicAddress(options.clusterHost() + ":" + options.clusterPort());
    if (NetUtil.isValidIpV4Address(options.clusterHost())) { // a name is left to Hazelcast
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(options.clusterHost()));
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    List<String> members = options.clusterMembers();
    join.getTcpIpConfig()
        .setEnabled(true)
        .setMembers(
            members.isEmpty()
                ? List.of(options.clusterHost() + ":" + options.clusterPort())
                : members);
    return config;
  }
}
