package dev.tally.gateway;

import dev.tally.gateway.config.TallyOptions;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Before anything binds (and before the StatsD warm-up), binds each configured port that is not 0
 * with a plain socket of its protocol and closes it again, so that a port the gateway cannot have
 * (another process holds it, or it needs privileges) stops the start naming the option, the port
 * and the system's reason. A plain bind matters for StatsD: its sockets set {@code SO_REUSEPORT},
 * with which a second gateway of the same user would bind the port beside the first and silently
 * take half of its datagrams. Nothing of this gateway is bound yet, so none of its own sockets is
 * seen.
 */
final class PortCheck {
  private PortCheck() {}

  /** Thrown by {@link #check} with every port that cannot be had; its message says which, why. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message, null, false, false); // the message is the whole story: no stack trace
    }
  }

  /** One bind of a probe socket. */
  private interface Bind {
    void to(InetSocketAddress address) throws IOException;
  }

  /**
   * Binds and releases each configured port in turn; blocking (socket calls), run off the event
   * loops.
   *
   * @throws Unavailable naming every option whose port cannot be bound, with the system's reason
   */
  static void check(TallyOptions options) {
    List<String> refused = new ArrayList<>();
    String host = options.bind();
    Bind tcp =
        address -> {
          try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // as the servers bind: TIME_WAIT is nobody's port
            socket.bind(address);
          }
        };
    Bind udp =
        address -> {
          StandardProtocolFamily family =
              address.getAddress() instanceof Inet6Address
                  ? StandardProtocolFamily.INET6
                  : StandardProtocolFamily.INET;
          try (DatagramChannel socket = DatagramChannel.open(family)) {
            socket.bind(address); // without SO_REUSEPORT: refused if any socket holds the port
          }
        };
    probe(refused, "http-port", host, options.httpPort(), "tcp", tcp);
    probe(refused, "otlp-grpc-port", host, options.otlpGrpcPort(), "tcp", tcp);
    if (options.otlpHttpPort() != options.otlpGrpcPort()) {
      probe(refused, "otlp-http-port", host, options.otlpHttpPort(), "tcp", tcp);
    }
    probe(refused, "statsd-port", host, options.statsdPort(), "udp", udp);
    if (!refused.isEmpty()) {
      throw new Unavailable(String.join("; ", refused));
    }
  }

  private static void probe(
      List<String> refused, String option, String host, int port, String protocol, Bind bind) {
    if (port == 0) {
      return;
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    String where = option + " " + host + ":" + port + "/" + protocol + ": ";
    if (address.isUnresolved()) {
      refused.add(where + "the address does not resolve");
      return;
    }
    try {
      bind.to(address);
    } catch (IOException e) { // "Address already in use", "Permission denied", ...
      refused.add(where + e.getMessage());
    }
  }
}
