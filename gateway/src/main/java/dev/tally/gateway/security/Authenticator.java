package dev.tally.gateway.security;

import dev.tally.gateway.config.CurrentOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Decides whether a presented bearer token is one of the configured ones, reading the tokens in
 * force at each call, so that a reload takes effect on the next request. With no token configured
 * every request is allowed. Thread-safe.
 */
public final class Authenticator {
  private final CurrentOptions options;

  public Authenticator(CurrentOptions options) {
    this.options = options;
  }

  /** True if tokens are configured, so requests need one. */
  public boolean enabled() {
    return !options.get().authTokens().isEmpty();
  }

  /** True if /metrics and /health need a token too. */
  public boolean protectsMetrics() {
    return enabled() && options.get().authMetrics();
  }

  /**
   * True if authentication is off or {@code presented} is a configured token. Every token is
   * compared in constant time, so the answer's timing does not tell how much of a token matched.
   */
  public boolean allows(String presented) {
    Set<String> tokens = options.get().authTokens();
    if (tokens.isEmpty()) {
      return true;
    }
    if (presented == null) {
      return false;
    }
    byte[] p = presented.getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (String token : tokens) {
      match |= MessageDigest.isEqual(p, token.getBytes(StandardCharsets.UTF_8));
    }
    return match;
  }

  /**
   * The token of an {@code Authorization: Bearer <token>} header value (scheme case-insensitive,
   * RFC 6750), or null.
   */
  public static String bearer(String authorization) {
    if (authorization == null || authorization.length() < 7) {
      return null;
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).strip();
    return token.isEmpty() ? null : token;
  }
}
