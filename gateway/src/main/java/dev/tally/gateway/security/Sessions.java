package dev.tally.gateway.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's login sessions: a login with a valid token gets a random session id for its
 * cookie, so the cookie never holds the token itself. A session ends at its expiry, and as soon as
 * its token is no longer configured (a reload that removes it logs its sessions out). At most
 * {@link #MAX_SESSIONS} are kept; beyond, the oldest goes. Thread-safe.
 */
public final class Sessions {
  /** Sessions kept at once. */
  public static final int MAX_SESSIONS = 10_000;

  private final SecureRandom random = new SecureRandom();
  private final Authenticator auth;
  private final long ttlMillis;
  private final Map<String, Session> sessions = new LinkedHashMap<>();

  public Sessions(Authenticator auth, long ttlMillis) {
    this.auth = auth;
    this.ttlMillis = ttlMillis;
  }

  /** How long a session lasts, for the cookie's Max-Age. */
  public long ttlMillis() {
    return ttlMillis;
  }

  /** A new session for a token that {@link Authenticator#allows} (the caller checked); its id. */
  public synchronized String open(String token, long nowMillis) {
    byte[] id = new byte[32];
    random.nextBytes(id);
    String sid = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    purge(nowMillis);
    if (sessions.size() >= MAX_SESSIONS) {
      Iterator<String> oldest = sessions.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    sessions.put(sid, new Session(token, nowMillis + ttlMillis));
    return sid;
  }

  /** True if {@code sid} names a live session whose token is still configured. */
  public synchronized boolean valid(String sid, long nowMillis) {
    Session s = sid == null ? null : sessions.get(sid);
    if (s == null) {
      return false;
    }
    if (s.expiresMillis <= nowMillis || !auth.allows(s.token)) {
      sessions.remove(sid);
      return false;
    }
    return true;
  }

  /** Ends a session (logout). */
  public synchronized void close(String sid) {
    if (sid != null) {
      sessions.remove(sid);
    }
  }

  private void purge(long nowMillis) {
    sessions.values().removeIf(s -> s.expiresMillis <= nowMillis);
  }

  private record Session(String token, long expiresMillis) {}
}
