package dev.tally.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.gateway.config.ConfigLoader;
import dev.tally.gateway.config.CurrentOptions;
import dev.tally.gateway.config.TallyOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private static TallyOptions tokens(String tokens) throws Exception {
    return ConfigLoader.load(new String[] {"--auth-tokens", tokens}, Map.of()).options;
  }

  @Test
  void aSessionIsARandomIdThatEndsAtItsExpiryOrWhenItsTokenIsRemoved() throws Exception {
    CurrentOptions options = new CurrentOptions(tokens("alpha,beta"));
    Sessions sessions = new Sessions(new Authenticator(options), 60_000);
    String a = sessions.open("alpha", 0);
    String b = sessions.open("beta", 0);
    assertThat(a).isNotEqualTo(b).doesNotContain("alpha").hasSizeGreaterThanOrEqualTo(40);
    assertThat(sessions.valid(a, 59_999)).isTrue();
    assertThat(sessions.valid(a, 60_000)).isFalse();
    assertThat(sessions.valid(a, 0)).as("an ended session stays ended").isFalse();
    options.set(tokens("alpha")); // a reload removes beta
    assertThat(sessions.valid(b, 1)).isFalse();
    assertThat(sessions.valid("made-up", 1)).isFalse();
    assertThat(sessions.valid(null, 1)).isFalse();
    String c = sessions.open("alpha", 0);
    sessions.close(c);
    assertThat(sessions.valid(c, 1)).isFalse();
  }

  @Test
  void anAddressThatGuessesTooOftenWaitsForTheNextMinute() {
    FailureLimiter limiter = new FailureLimiter(3);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.blockedFor("10.0.0.1", 1000)).isZero();
      limiter.failed("10.0.0.1", 1000);
    }
    assertThat(limiter.blockedFor("10.0.0.1", 1000)).isEqualTo(59_000);
    assertThat(limiter.blockedFor("10.0.0.2", 1000)).as("another address").isZero();
    assertThat(limiter.blockedFor("10.0.0.1", 60_000)).as("the next minute").isZero();
    for (int i = 0; i < 30; i++) {
      limiter.failed("10.0.1." + i, 60_000);
    }
    assertThat(limiter.blockedFor("10.0.9.9", 60_001)).as("all addresses together").isPositive();
  }
}
