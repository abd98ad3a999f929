package dev.tally.gateway.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

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
    if (address.isEmpty() || !address.matches("[0-9a-fA-F:.]+")) {
      return null; // a literal only: never a name lookup
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
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

  /** True if {@code address} is in this network (an IPv4 address is never in an IPv6 network). */
  public boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  /** As {@link #contains(InetAddress)}, for an address's bytes (taken once, for many networks). */
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
