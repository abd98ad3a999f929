package dev.tally.verticles.export;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.xerial.snappy.Snappy;

/**
 * Prometheus remote write 1.0: a snappy-compressed (block format) {@code WriteRequest}; 2xx taken,
 * 429 and 5xx sent again (after {@code Retry-After} if given), any other answer refused for good.
 */
final class RemoteWriteWire implements Wire {
  private final URI url;

  RemoteWriteWire(URI url) {
    this.url = url;
  }

  @Override
  public RequestOptions request(int type) {
    return new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(url.toString())
        .putHeader("Content-Type", "application/x-protobuf")
        .putHeader("Content-Encoding", "snappy")
        .putHeader("User-Agent", "Tally")
        .putHeader("X-Prometheus-Remote-Write-Version", "0.1.0");
  }

  @Override
  public Buffer body(byte[] payload) {
    try {
      return Buffer.buffer(Snappy.compress(payload));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Outcome answer(int type, int status, MultiMap headers, MultiMap trailers, Buffer body) {
    return HttpAnswers.of(status, headers, body, status == 429 || status / 100 == 5);
  }
}
