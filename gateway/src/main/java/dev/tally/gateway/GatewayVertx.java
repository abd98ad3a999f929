package dev.tally.gateway;

import dev.tally.gateway.cluster.HazelcastSetup;
import dev.tally.gateway.config.TallyOptions;
import dev.tally.gateway.guard.GatedTransport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The {@link Vertx} a gateway runs on: the native transport when there is one, with an accept gate
 * on its TCP server sockets ({@link GatedTransport}, for the connection limits), one event loop per
 * core (or as configured), and Vert.x's own metrics (HTTP and gRPC servers, event bus, pools) with
 * JVM metrics in a Micrometer Prometheus registry, which {@code /metrics} appends to Tally's; with
 * a {@code tracing-endpoint}, traces of its own HTTP and gRPC handling ({@link SelfTracing}).
 *
 * <p>Three of Micrometer's JVM meters have names that {@code promtool check metrics} rejects
 * ({@code jvm_compilation_time_ms_total} and {@code process_cpu_time_ns_total} carry abbreviated
 * units, {@code system_cpu_count} is a gauge ending in {@code _count}); they are left out, and the
 * process CPU is exposed as Prometheus' usual {@code process_cpu_seconds_total} instead.
 */
public final class GatewayVertx {
  static final Set<String> LEFT_OUT =
      Set.of("jvm.compilation.time", "process.cpu.time", "system.cpu.count");

  /**
   * Micrometer's registry logger, kept here (JUL holds loggers weakly, and its filter with it).
   * vertx-micrometer-metrics 5.0 registers its event-bus gauges ({@code vertx.eventbus.handlers},
   * {@code vertx.eventbus.pending}) again for every address and shares one counter behind them by
   * design, which Micrometer 1.13+ reports as a duplicate on every start; only that report is
   * filtered out: the meters are right, and any other warning of the registry still shows.
   */
  private static final Logger MICROMETER_REGISTRY_LOG =
      Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");

  static {
    MICROMETER_REGISTRY_LOG.setFilter(
        record ->
            !(record.getMessage() != null
                && record.getMessage().startsWith("This Gauge has been already registered")
                && record.getMessage().contains("name='vertx.eventbus.")));
  }

  private GatewayVertx() {}

  /** A Vert.x that is not clustered (the {@code cluster} option is not looked at). */
  public static Vertx create(TallyOptions options, PrometheusMeterRegistry registry) {
    return withTracing(builder(options, registry, false), options, VertxBuilder::build);
  }

  /**
   * A clustered Vert.x on Hazelcast ({@link HazelcastSetup}): the event bus on {@code
   * cluster-host}, the node's cluster address in its node metadata. Fails if it cannot join.
   */
  public static Future<Vertx> createClustered(
      TallyOptions options, PrometheusMeterRegistry registry) {
    VertxBuilder builder =
        builder(options, registry, true)
            .withClusterManager(new HazelcastClusterManager(HazelcastSetup.config(options)));
    return withTracing(builder, options, VertxBuilder::buildClustered);
  }

  private static VertxBuilder builder(
      TallyOptions options, PrometheusMeterRegistry registry, boolean clustered) {
    registry.config().meterFilter(MeterFilter.deny(id -> LEFT_OUT.contains(id.getName())));
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      com.sun.management.OperatingSystemMXBean sun = (com.sun.management.OperatingSystemMXBean) os;
      FunctionCounter.builder("process.cpu", sun, b -> b.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time used by the gateway's process")
          .register(registry);
    }
    VertxOptions vertxOptions =
        new VertxOptions()
            .setPreferNativeTransport(true)
            .setEventLoopPoolSize(options.eventLoops())
            .setMetricsOptions(
                new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    if (clustered) {
      vertxOptions
          .getEventBusOptions()
          .setHost(options.clusterHost())
          .setPort(0)
          .setClusterNodeMetadata(
              new JsonObject().put("cluster", options.clusterHost() + ":" + options.clusterPort()));
    }
    return Vertx.builder()
        .with(vertxOptions)
        .withTransport(GatedTransport.create(vertxOptions.getPreferNativeTransport()))
        .withMetrics(new MicrometerMetricsFactory(registry));
  }

  /** Builds with self-tracing if a tracing endpoint is set; the SDK closes with Vert.x. */
  private static <T> T withTracing(
      VertxBuilder builder, TallyOptions options, Function<VertxBuilder, T> build) {
    if (options.tracingEndpoint() == null) {
      return build.apply(builder);
    }
    OpenTelemetrySdk sdk = SelfTracing.sdk(options);
    T built = build.apply(builder.withTracer(new OpenTelemetryTracingFactory(sdk)));
    Consumer<Vertx> hook =
        vertx ->
            ((VertxInternal) vertx)
                .addCloseHook(
                    completion -> {
                      sdk.close(); // exports what is left
                      completion.succeed();
                    });
    if (built instanceof Future<?> f) {
      f.onSuccess(v -> hook.accept((Vertx) v));
    } else {
      hook.accept((Vertx) built);
    }
    return built;
  }
}
