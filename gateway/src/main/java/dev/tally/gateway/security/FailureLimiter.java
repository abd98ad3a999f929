package dev.tally.gateway.security;

import java.util.HashMap;
import java.util.Map;

/**
 * Slows token guessing: counts failed authentications per client address in one-minute windows, and
 * tells when an address has used up its allowance ({@code maxPerMinute}) or all addresses together
 * theirs (ten times as many), so that the caller refuses with 429 until the window ends. At most
 * {@link #MAX_ADDRESSES} addresses are tracked; beyond, the window starts over. Thread-safe.
 */
public final class FailureLimiter {
  static final int MAX_ADDRESSES = 10_000;
  static final long WINDOW_MILLIS = 60_000;

  private final int maxPerMinute;
  private final Map<String, Integer> failures = new HashMap<>();
  private int total;
  private long windowStart;

  public FailureLimiter(int maxPerMinute) {
    this.maxPerMinute = maxPerMinute;
  }

  /** Milliseconds until {@code address} may try again; 0 if it may now. */
  public synchronized long blockedFor(String address, long nowMillis) {
    roll(nowMillis);
    boolean blocked =
        failures.getOrDefault(address, 0) >= maxPerMinute || total >= 10L * maxPerMinute;
    return blocked ? Math.max(1, windowStart + WINDOW_MILLIS - nowMillis) : 0;
  }

  /** Counts a failed authentication from {@code address}. */
  public synchronized void failed(String address, long nowMillis) {
    roll(nowMillis);
    total++;
    if (failures.size() < MAX_ADDRESSES || failures.containsKey(address)) {
      failures.merge(address, 1, Integer::sum); // beyond, only the total counts
    }
  }

  private void roll(long nowMillis) {
    if (nowMillis - windowStart >= WINDOW_MILLIS) {
      windowStart = nowMillis;
      failures.clear();
      total = 0;
    }
  }
}
