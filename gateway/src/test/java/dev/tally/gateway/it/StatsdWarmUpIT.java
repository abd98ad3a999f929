package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.gateway.config.ConfigLoader;
import dev.tally.gateway.config.CurrentOptions;
import dev.tally.gateway.config.TallyOptions;
import dev.tally.gateway.guard.HeapGuard;
import dev.tally.gateway.ingest.WarmUp;
import dev.tally.protocol.prometheus.ReservedNames;
import dev.tally.testing.Exposition;
import dev.tally.testing.TestGateway;
import dev.tally.verticles.bus.Addresses;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.transport.Transport;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The StatsD warm-up runs synthetic traffic through the ingest path and leaves nothing behind. */
class StatsdWarmUpIT {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void theWarmUpTakesLinesThenTakesItsShardsAway() throws Exception {
    TallyOptions options =
        ConfigLoader.load(new String[] {"--shards", "2", "--bind", "127.0.0.1"}, Map.of()).options;
    EventLoopGroup loop =
        ((VertxInternal) vertx)
            .transport()
            .eventLoopGroup(
                Transport.IO_EVENT_LOOP_GROUP, 1, new DefaultThreadFactory("warm-up", true), 100);
    try {
      long lines =
          WarmUp.run(
                  vertx,
                  options,
                  new HeapGuard(new CurrentOptions(options)),
                  loop,
                  ReservedNames.TALLY,
                  300)
              .await(20, TimeUnit.SECONDS)
              .lines();
      assertThat(lines).as("synthetic lines its private shards took").isPositive();
      for (int shard = 0; shard < 2; shard++) {
        Future<Message<Object>> asked =
            vertx.eventBus().request(Addresses.aggregate(shard), "anyone?");
        assertThatThrownBy(() -> asked.await(10, TimeUnit.SECONDS))
            .as("no consumer left on shard " + shard + "'s address")
            .isInstanceOfSatisfying(
                ReplyException.class,
                e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.NO_HANDLERS));
      }
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  @Test
  void aGatewayThatWarmedUpShowsNothingOfIt() throws Exception {
    try (TestGateway tally = TestGateway.start(vertx, "--statsd-warm-up", "300ms")) {
      tally.send("after.warm.up:1|c");
      Exposition m =
          tally.scrapeUntil(e -> e.value("after_warm_up_total") == 1).await(20, TimeUnit.SECONDS);
      assertThat(m.value("tally_statsd_lines_accepted_total")).isEqualTo(1);
      assertThat(m.value("tally_series_active")).isEqualTo(1);
      assertThat(m.samples().keySet()).noneMatch(k -> k.startsWith("warm_up"));
    }
  }
}
