package dev.tally.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import dev.tally.protocol.promql.Labels;
import dev.tally.testing.PrometheusServer;
import dev.tally.testing.TestGateway;
import dev.tally.verticles.history.HistoryOptions;
import dev.tally.verticles.history.HistoryStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.Snappy;

/**
 * Tally's PromQL against a real Prometheus (Debian's 2.42) holding the same samples: the samples of
 * {@link Data} (counters with a reset, a gap and a stale series, gauges with a NaN, classic
 * histograms, a summary) are written into a history directory, which a gateway then opens, and sent
 * to Prometheus by remote write, stale markers included. Every query of {@code promql/corpus.txt}
 * is asked of both as an instant query at eight times and as a range query, and the answers must be
 * the same: the same result type, series and times, values within 1e-9 (relative), or an error from
 * both.
 *
 * <p>Tally follows Prometheus 3, which differs from 2.42 in two places the data keeps clear of:
 * query times sit 7.5 s after the samples' grid (the samples have up to 2 s of jitter), so that no
 * sample lies on the edge of a range window or of the lookback (2.42 closes windows on the left, 3
 * leaves them open); and counters start at values that are large beside their increase, so that a
 * rate's extrapolation towards zero at a series' start (2.42 takes it before the 1.1-interval
 * threshold, 3 after) does not come into play. Counter increments have fractions so that {@code
 * topk} meets no ties, which the two break in their own orders.
 */
@ExtendWith(VertxExtension.class)
class PromQlDifferentialIT {
  private static final long STEP = 15_000;
  private static final int STEPS = 190;
  private static final double TOLERANCE = 1e-9;

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyQueryOfTheCorpusAnswersAsPrometheusDoes(Vertx vertx) throws Exception {
    long t0 = (System.currentTimeMillis() / STEP) * STEP - (STEPS + 10) * STEP;
    Data data = Data.make(t0, new Random(24));
    Path prometheusDir = Files.createDirectories(dir.resolve("prometheus"));
    Path dataDir = Files.createDirectories(dir.resolve("tally"));
    data.writeHistory(dataDir.resolve("history"));
    try (PrometheusServer prometheus = PrometheusServer.start(vertx, prometheusDir);
        TestGateway tally = TestGateway.start(vertx, "--data-dir", dataDir.toString())) {
      data.remoteWrite(http, prometheus.writeUrl());
      List<String> corpus = corpus();
      assertThat(corpus).hasSizeGreaterThanOrEqualTo(60);
      String tallyBase = "http://127.0.0.1:" + tally.gateway().httpPort();
      String promBase = "http://127.0.0.1:" + prometheus.port();
      List<String> mismatches = new ArrayList<>();
      java.util.Set<String> withData = new java.util.HashSet<>();
      int compared = 0;
      for (String q : corpus) {
        for (int k : new int[] {20, 60, 100, 119, 125, 140, 155, 185}) {
          String params = "query=" + enc(q) + "&time=" + seconds(t0 + k * STEP + STEP / 2);
          if (compare(q + " @" + k, "/api/v1/query?" + params, tallyBase, promBase, mismatches)) {
            withData.add(q);
          }
          compared++;
        }
        String range =
            "query="
                + enc(q)
                + "&start="
                + seconds(t0 + 20 * STEP + STEP / 2)
                + "&end="
                + seconds(t0 + 185 * STEP + STEP / 2)
                + "&step=60";
        if (compare(
            q + " [range]", "/api/v1/query_range?" + range, tallyBase, promBase, mismatches)) {
          withData.add(q);
        }
        compared++;
      }
      System.out.printf(
          "%d answers compared, %d differ; %d of %d queries have data%n",
          compared, mismatches.size(), withData.size(), corpus.size());
      // an answer that is empty on both sides proves little: most queries must have data
      assertThat(withData.size())
          .as("queries answered with data")
          .isGreaterThan(corpus.size() * 85 / 100);
      assertThat(mismatches)
          .as(
              "%d of %d answers differ:%n%s",
              mismatches.size(), compared, String.join("\n", mismatches))
          .isEmpty();
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String seconds(long ms) {
    return String.format("%d.%03d", ms / 1000, ms % 1000);
  }

  static List<String> corpus() throws IOException {
    List<String> out = new ArrayList<>();
    try (var in = PromQlDifferentialIT.class.getResourceAsStream("/promql/corpus.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String q = line.strip();
        if (!q.isEmpty() && !q.startsWith("#")) {
          out.add(q);
        }
      }
    }
    return out;
  }

  /** Compares one request's answers; true if Prometheus' has data. */
  private boolean compare(
      String what, String pathAndQuery, String tallyBase, String promBase, List<String> out)
      throws Exception {
    JsonObject t = get(tallyBase + pathAndQuery);
    JsonObject p = get(promBase + pathAndQuery);
    String diff = difference(t, p);
    if (diff != null) {
      out.add(what + ": " + diff + "\n    tally: " + cut(t) + "\n    prometheus: " + cut(p));
    }
    JsonObject data = p.getJsonObject("data");
    Object result = data == null ? null : data.getValue("result");
    return result instanceof JsonArray a && !a.isEmpty();
  }

  private static String cut(JsonObject o) {
    String s = o.encode();
    return s.length() > 600 ? s.substring(0, 600) + "..." : s;
  }

  private JsonObject get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(r.body()).put("httpStatus", r.statusCode());
  }

  /** Null if the answers agree, else what differs. */
  static String difference(JsonObject tally, JsonObject prom) {
    String ts = tally.getString("status");
    String ps = prom.getString("status");
    if (!ts.equals(ps)) {
      return "status " + ts + " vs " + ps;
    }
    if (ts.equals("error")) {
      return tally.getString("errorType").equals(prom.getString("errorType"))
          ? null
          : "errorType " + tally.getString("errorType") + " vs " + prom.getString("errorType");
    }
    JsonObject td = tally.getJsonObject("data");
    JsonObject pd = prom.getJsonObject("data");
    if (!td.getString("resultType").equals(pd.getString("resultType"))) {
      return "resultType " + td.getString("resultType") + " vs " + pd.getString("resultType");
    }
    Map<String, Map<Long, Double>> a = points(td);
    Map<String, Map<Long, Double>> b = points(pd);
    if (!a.keySet().equals(b.keySet())) {
      return "series " + a.keySet() + " vs " + b.keySet();
    }
    for (String series : a.keySet()) {
      Map<Long, Double> x = a.get(series);
      Map<Long, Double> y = b.get(series);
      if (!x.keySet().equals(y.keySet())) {
        return series + " at times " + x.keySet() + " vs " + y.keySet();
      }
      for (Long time : x.keySet()) {
        if (!close(x.get(time), y.get(time))) {
          return series + " at " + time + ": " + x.get(time) + " vs " + y.get(time);
        }
      }
    }
    return null;
  }

  private static boolean close(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return Double.isNaN(a) && Double.isNaN(b);
    }
    if (a == b) {
      return true;
    }
    return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
  }

  /** Each series (its labels as text) to its points; a scalar or string as one series "". */
  private static Map<String, Map<Long, Double>> points(JsonObject data) {
    Map<String, Map<Long, Double>> out = new TreeMap<>();
    Object result = data.getValue("result");
    if (result instanceof JsonArray arr && data.getString("resultType").matches("scalar|string")) {
      out.put("", Map.of(Math.round(arr.getDouble(0) * 1000), parse(arr.getValue(1))));
      return out;
    }
    for (Object o : (JsonArray) result) {
      JsonObject s = (JsonObject) o;
      Map<Long, Double> pts = new TreeMap<>();
      JsonArray values = s.getJsonArray("values");
      if (values == null) {
        values = new JsonArray().add(s.getJsonArray("value"));
      }
      for (Object v : values) {
        JsonArray pair = (JsonArray) v;
        pts.put(Math.round(pair.getDouble(0) * 1000), parse(pair.getValue(1)));
      }
      out.put(new TreeMap<>(s.getJsonObject("metric").getMap()).toString(), pts);
    }
    return out;
  }

  private static double parse(Object v) {
    String s = String.valueOf(v);
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  /** The test's samples: per series its times and values, stale markers among them. */
  static final class Data {
    final Map<Labels, List<double[]>> series = new LinkedHashMap<>();
    final long[] times = new long[STEPS];

    static Data make(long t0, Random r) {
      Data d = new Data();
      for (int i = 0; i < STEPS; i++) {
        d.times[i] = t0 + i * STEP + r.nextInt(2000);
      }
      double[] counters = new double[12];
      double[] gauges = {3, -1, 0.5, 7};
      String[] buckets = {"0.05", "0.1", "0.25", "0.5", "1", "+Inf"};
      double[][] hist = new double[2][buckets.length];
      double[] histSum = new double[2];
      for (int h = 0; h < 2; h++) { // a process that has run for a while
        for (int b = 0; b < buckets.length; b++) {
          hist[h][b] = 200 * (b + 1);
        }
        histSum[h] = 100;
      }
      double summarySum = 0;
      double summaryCount = 0;
      for (int i = 0; i < STEPS; i++) {
        int c = 0;
        for (String instance : new String[] {"a", "b"}) {
          for (String route : new String[] {"/x", "/y", "/z"}) {
            for (String code : new String[] {"200", "500"}) {
              boolean error = code.equals("500");
              counters[c] += r.nextInt(error ? 4 : 20) + r.nextDouble(); // no ties in topk
              if (instance.equals("b") && i == 100) {
                counters[c] = r.nextInt(5); // a restart
              }
              boolean late = instance.equals("a") && route.equals("/z") && error;
              boolean gap =
                  instance.equals("a") && route.equals("/y") && error && i >= 120 && i <= 135;
              boolean stopped = instance.equals("b") && route.equals("/z") && error && i >= 150;
              if ((!late || i >= 60) && !gap && !stopped) {
                double base = late ? 0 : 1000 * (c + 1);
                d.add(
                    i,
                    base + counters[c],
                    "http_requests_total",
                    "job",
                    "api",
                    "instance",
                    instance,
                    "route",
                    route,
                    "code",
                    code);
              }
              c++;
            }
          }
        }
        for (int q = 0; q < gauges.length; q++) {
          gauges[q] += r.nextGaussian();
          double v = q == 3 && i == 80 ? Double.NaN : gauges[q];
          d.add(i, v, "queue_depth", "queue", "q" + (q + 1));
        }
        for (int h = 0; h < 2; h++) {
          String route = h == 0 ? "/x" : "/y";
          int n = 5 + r.nextInt(20);
          for (int o = 0; o < n; o++) {
            double latency = Math.abs(r.nextGaussian()) * (h == 0 ? 0.1 : 0.4);
            histSum[h] += latency;
            for (int b = 0; b < buckets.length; b++) {
              if (b == buckets.length - 1 || latency <= Double.parseDouble(buckets[b])) {
                hist[h][b]++;
              }
            }
          }
          for (int b = 0; b < buckets.length; b++) {
            d.add(
                i, hist[h][b], "request_duration_seconds_bucket", "route", route, "le", buckets[b]);
          }
          d.add(i, histSum[h], "request_duration_seconds_sum", "route", route);
          d.add(i, hist[h][buckets.length - 1], "request_duration_seconds_count", "route", route);
        }
        double p50 = 0.1 + r.nextDouble() * 0.05;
        d.add(i, p50, "rpc_latency_seconds", "quantile", "0.5");
        d.add(i, p50 * 2 + r.nextDouble() * 0.1, "rpc_latency_seconds", "quantile", "0.9");
        d.add(i, p50 * 3 + r.nextDouble() * 0.3, "rpc_latency_seconds", "quantile", "0.99");
        summaryCount += 10 + r.nextInt(10);
        summarySum += summaryCount * 0.01 * r.nextDouble();
        d.add(i, summarySum, "rpc_latency_seconds_sum");
        d.add(i, summaryCount, "rpc_latency_seconds_count");
        d.add(i, 1, "up_like", "job", "api");
      }
      d.markStale();
      return d;
    }

    private void add(int step, double value, String name, String... labels) {
      String[] all = new String[labels.length + 2];
      all[0] = Labels.NAME;
      all[1] = name;
      System.arraycopy(labels, 0, all, 2, labels.length);
      series
          .computeIfAbsent(Labels.of(all), l -> new ArrayList<>())
          .add(new double[] {times[step], value});
    }

    /**
     * A stale marker where a series has no sample after having one, as Tally's history writes it
     * (and a scraping Prometheus too).
     */
    private void markStale() {
      for (List<double[]> samples : series.values()) {
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k < samples.size(); k++) {
          out.add(samples.get(k));
          int step = stepOf((long) samples.get(k)[0]);
          boolean next = k + 1 < samples.size() && stepOf((long) samples.get(k + 1)[0]) == step + 1;
          if (!next && step + 1 < STEPS) {
            out.add(new double[] {times[step + 1], HistoryStore.STALE_NAN});
          }
        }
        samples.clear();
        samples.addAll(out);
      }
    }

    private int stepOf(long t) {
      for (int i = 0; i < STEPS; i++) {
        if (times[i] == t) {
          return i;
        }
      }
      throw new IllegalStateException("no step at " + t);
    }

    /** Writes the samples as the history writer would have, step by step. */
    void writeHistory(Path historyDir) throws IOException {
      HistoryOptions o =
          new HistoryOptions(
              historyDir, 15_000, 30L * 86_400_000, Long.MAX_VALUE, HistoryOptions.BLOCK_MILLIS);
      try (HistoryStore store = HistoryStore.open(o)) {
        for (int i = 0; i < STEPS; i++) {
          List<Integer> ids = new ArrayList<>();
          List<Double> values = new ArrayList<>();
          for (Map.Entry<Labels, List<double[]>> e : series.entrySet()) {
            for (double[] s : e.getValue()) {
              if ((long) s[0] == times[i]
                  && Double.doubleToRawLongBits(s[1])
                      != Double.doubleToRawLongBits(HistoryStore.STALE_NAN)) {
                ids.add(store.seriesId(e.getKey()));
                values.add(s[1]);
              }
            }
          }
          int[] idArray = ids.stream().mapToInt(Integer::intValue).toArray();
          double[] valueArray = values.stream().mapToDouble(Double::doubleValue).toArray();
          store.append(times[i], idArray, valueArray, idArray.length); // stale markers its own
        }
      }
    }

    /** Sends every series, stale markers included, in one remote-write request. */
    void remoteWrite(HttpClient http, String url) throws Exception {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(body);
      for (Map.Entry<Labels, List<double[]>> e : series.entrySet()) {
        ByteArrayOutputStream ts = new ByteArrayOutputStream();
        CodedOutputStream t = CodedOutputStream.newInstance(ts);
        Labels l = e.getKey();
        for (int i = 0; i < l.size(); i++) {
          ByteArrayOutputStream label = new ByteArrayOutputStream();
          CodedOutputStream lo = CodedOutputStream.newInstance(label);
          lo.writeString(1, l.name(i));
          lo.writeString(2, l.value(i));
          lo.flush();
          t.writeByteArray(1, label.toByteArray());
        }
        for (double[] s : e.getValue()) {
          ByteArrayOutputStream sample = new ByteArrayOutputStream();
          CodedOutputStream so = CodedOutputStream.newInstance(sample);
          so.writeDouble(1, s[1]);
          so.writeInt64(2, (long) s[0]);
          so.flush();
          t.writeByteArray(2, sample.toByteArray());
        }
        t.flush();
        out.writeByteArray(1, ts.toByteArray());
      }
      out.flush();
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url))
                  .header("Content-Type", "application/x-protobuf")
                  .header("Content-Encoding", "snappy")
                  .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(body.toByteArray())))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }
  }
}
