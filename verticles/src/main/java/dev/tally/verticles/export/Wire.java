package dev.tally.verticles.export;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;

/**
 * How one target's protocol makes a request of queued records and reads its answer: Prometheus
 * remote write, OTLP/HTTP or OTLP/gRPC. Stateless.
 */
interface Wire {
  /** Kinds of record in a queue: what a record's payload is. */
  int REMOTE_WRITE = 1;

  int OTLP_METRICS = 2;
  int OTLP_TRACES = 3;
  int OTLP_LOGS = 4;

  /** The signal of a record kind. */
  static Signal signal(int type) {
    switch (type) {
      case OTLP_TRACES:
        return Signal.TRACES;
      case OTLP_LOGS:
        return Signal.LOGS;
      default:
        return Signal.METRICS;
    }
  }

  /** The client's options beyond TLS (HTTP/2 for gRPC); HTTP/1.1 as they are by default. */
  default HttpClientOptions client(HttpClientOptions options) {
    return options;
  }

  /** The request for records of {@code type} (method, URI, headers but the target's own). */
  RequestOptions request(int type);

  /** The body of a request whose records' payloads are {@code payload}, one after the other. */
  Buffer body(byte[] payload);

  /**
   * What an answer means.
   *
   * @param trailers the response's trailers (gRPC's status), read after its body
   */
  Outcome answer(int type, int status, MultiMap headers, MultiMap trailers, Buffer body);

  /** What became of a request. */
  record Outcome(Kind kind, long retryAfterMillis, long rejected, String message) {
    enum Kind {
      /** Taken, but for {@code rejected} items the target refused (OTLP's partial success). */
      SENT,
      /** Worth sending again; after {@code retryAfterMillis} if not negative. */
      RETRY,
      /** Throttled: worth sending again; after {@code retryAfterMillis} if not negative. */
      THROTTLED,
      /** Refused for good: retrying cannot change it. */
      DROP
    }

    static Outcome sent(long rejected, String message) {
      return new Outcome(Kind.SENT, -1, rejected, message);
    }

    static Outcome retry(long afterMillis) {
      return new Outcome(Kind.RETRY, afterMillis, 0, null);
    }

    static Outcome throttled(long afterMillis) {
      return new Outcome(Kind.THROTTLED, afterMillis, 0, null);
    }

    static Outcome drop(String message) {
      return new Outcome(Kind.DROP, -1, 0, message);
    }
  }
}
