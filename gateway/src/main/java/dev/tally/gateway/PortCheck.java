package dev.tally.gateway;

import dev.tally.gateway.config.TallyOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Before anything binds (and before the StatsD warm-up), tries each configured port that is not 0
 * with a plain socket of its protocol and closes it again, so that a port held by another process
 * stops the start naming the option and the port. A plain bind matters for StatsD: its sockets set
 * {@code SO_REUSEPORT}, with which a second gateway of the same user would bind the port beside the
 * first and silently take half of its datagrams. A port held only by Tally's own sockets cannot be
 * seen here: nothing of this gateway is bound yet.
 */
final class PortCheck {
  private PortCheck() {}

  /** Thrown by {@link #check} with every port that is held; its message says which. */
  static final class InUse extends RuntimeException {
    InUse(String message) {
      super(message, null, false, false); // the message is the whole story: no stack trace
    }
  }

  /**
   * Binds and releases each configured port in turn; blocking (socket calls), run off the event
   * loops.
   *
   * @throws InUse naming every option whose port another process holds
   */
  static void check(TallyOptions options) {
    List<String> held = new ArrayList<>();
    String host = options.bind();
    tcp(held, host, options.httpPort(), "http-port");
    tcp(held, host, options.otlpGrpcPort(), "otlp-grpc-port");
    if (options.otlpHttpPort() != options.otlpGrpcPort()) {
      tcp(held, host, options.otlpHttpPort(), "otlp-http-port");
    }
    udp(held, host, options.statsdPort(), "statsd-port");
    if (!held.isEmpty()) {
      throw new InUse(
          String.join("; ", held) + " (another process holds it: stop it, or choose another port)");
    }
  }

  private static void tcp(List<String> held, String host, int port, String option) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(
          true); // as the servers bind: a closed connection's TIME_WAIT is no owner
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      held.add(option + " " + host + ":" + port + "/tcp is in use");
    }
  }

  private static void udp(List<String> held, String host, int port, String option) {
    if (port == 0) {
      return;
    }
    InetSocketAddress address = new InetSocketAddress(host, port);
    StandardProtocolFamily family =
        address.getAddress() instanceof java.net.Inet6Address
            ? StandardProtocolFamily.INET6
            : StandardProtocolFamily.INET;
    try (DatagramChannel socket = DatagramChannel.open(family)) {
      socket.bind(address); // without SO_REUSEPORT: refused if any socket holds the port
    } catch (IOException e) {
      held.add(option + " " + host + ":" + port + "/udp is in use");
    }
  }
}
