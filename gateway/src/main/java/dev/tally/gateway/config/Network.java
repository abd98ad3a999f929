package dev.tally.gateway.config;

import io.netty.util.NetUtil;

/**
 * An IP network in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}) or one address ({@code
 * 127.0.0.1}). Immutable; {@link #contains} allocates nothing.
 */
public final class Network {
  private final byte[] prefix;
  private final int bits;

  private Network(byte[] prefix, int bits) {
    this.prefix = prefix;
    this.bits = bits;
  }

  /** The network written as {@code s}, or null if it is not an IP address with an optional mask. */
  public static Network parse(String s) {
    int slash = s.indexOf('/');
    String address = slash < 0 ? s : s.substring(0, slash);
    // Netty's literal parser: never a name lookup ("cafe" or "dead.beef" are names, not literals)
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      return null;
    }
    int bits = bytes.length * 8;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        return null;
      }
      if (bits < 0 || bits > bytes.length * 8) {
        return null;
      }
    }
    return new Network(bytes, bits);
  }

  /** True if {@code allow} is empty or one of its networks holds the address {@code a}. */
  public static boolean allows(java.util.List<Network> allow, byte[] a) {
    if (allow.isEmpty()) {
      return true;
    }
    for (int i = 0; i < allow.size(); i++) {
      if (allow.get(i).contains(a)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True if {@code allow} is empty or holds the peer {@code address} (a Vert.x socket's remote
   * address: an IP literal, never looked up; a Unix socket's peer is always allowed).
   */
  public static boolean allows(
      java.util.List<Network> allow, io.vertx.core.net.SocketAddress address) {
    if (allow.isEmpty() || address == null || address.hostAddress() == null) {
      return true;
    }
    byte[] a = NetUtil.createByteArrayFromIpAddressString(address.hostAddress());
    return a != null && allows(allow, a);
  }

  /**
   * True if the address whose bytes are {@code a} is in this network (an IPv4 address is never in
   * an IPv6 network).
   */
  public boolean contains(byte[] a) {
    if (a.length != prefix.length) {
      return false;
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != prefix[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xff << (8 - rest);
    return (a[full] & mask) == (prefix[full] & mask);
  }
}
