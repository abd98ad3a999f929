package dev.tally.gateway.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.tally.gateway.config.TallyOptions;
import io.netty.util.NetUtil;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

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

  /**
   * Hazelcast's loggers set to WARNING (kept here: JUL holds loggers weakly, their levels with
   * them), but the membership list, which says who is in the cluster, and the CP subsystem's, which
   * warns of structures the gateway does not use: at INFO Hazelcast prints about 40 lines at each
   * start (its logo, copyright, engine and diagnostics notes), which bury the gateway's own lines.
   */
  @SuppressWarnings("unused") // held for the levels
  private static final List<Logger> QUIETED =
      List.of(
          quiet("com.hazelcast", Level.WARNING),
          quiet("com.hazelcast.internal.cluster.ClusterService", Level.INFO),
          // "CP data structures will operate in UNSAFE mode": the gateway uses none (no Vert.x
          // cluster-wide locks or counters), so the warning at every start concerns nothing here
          quiet("com.hazelcast.cp.CPSubsystem", Level.SEVERE));

  private static Logger quiet(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(level);
    return logger;
  }

  private HazelcastSetup() {}

  /** The configuration; the first call (before any Hazelcast instance) also quiets its loggers. */
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
    // gateways started together may each form a cluster of one before they see each other
    // (a busy machine, a boot): they merge at the first merge run, after 10 s instead of 300
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
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
