package dev.tally.protocol.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/**
 * Decodes an OTLP request body: gunzips it if asked, without ever holding more than {@code
 * maxBytes} of inflated content (a small gzip body can inflate to gigabytes), then parses it.
 * Returns the outcome as a value, never throws for bad input.
 */
public final class OtlpRequestDecoder {
  private final int maxBytes;

  /**
   * @param maxBytes the largest body, compressed or inflated, at least 1
   */
  public OtlpRequestDecoder(int maxBytes) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1, was " + maxBytes);
    }
    this.maxBytes = maxBytes;
  }

  /**
   * Decodes {@code body} into a message of {@code builder}'s type.
   *
   * @param gzip true if the body is gzip-compressed
   */
  public <T extends Message> Decoded<T> decode(
      byte[] body, boolean gzip, OtlpEncoding encoding, Message.Builder builder) {
    if (body.length > maxBytes) {
      return Decoded.error(OtlpRequestError.TOO_LARGE, tooLarge(body.length));
    }
    byte[] bytes = body;
    if (gzip) {
      try {
        bytes = gunzip(body);
      } catch (IOException e) {
        return Decoded.error(OtlpRequestError.UNDECODABLE, "invalid gzip body: " + e.getMessage());
      }
      if (bytes == null) {
        return Decoded.error(OtlpRequestError.TOO_LARGE, tooLarge(maxBytes + 1L));
      }
    }
    try {
      encoding.merge(bytes, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // JsonFormat also throws unchecked exceptions for some malformed JSON
      return Decoded.error(
          OtlpRequestError.UNDECODABLE,
          "cannot decode the " + encoding.contentType() + " body: " + e.getMessage());
    }
    @SuppressWarnings("unchecked")
    T message = (T) builder.build();
    return new Decoded<>(message, null, null);
  }

  private String tooLarge(long size) {
    return "request body of " + size + " bytes or more is over the limit of " + maxBytes + " bytes";
  }

  /** The inflated body, or null if it is larger than the limit. */
  private byte[] gunzip(byte[] body) throws IOException {
    return inflate(body, maxBytes);
  }

  /**
   * The gzip {@code body} inflated, or null as soon as it would be larger than {@code limit}: so
   * that a caller can inflate a small body in place and hand one that grows beyond its budget to
   * another thread, having spent at most {@code limit} bytes of work on it.
   *
   * @throws IOException if the body is not valid gzip
   */
  public static byte[] inflate(byte[] body, int limit) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream((int) Math.min(limit, body.length * 4L));
      byte[] chunk = new byte[8192];
      int n;
      while ((n = in.read(chunk)) > 0) {
        if (out.size() + n > limit) {
          return null;
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    }
  }

  /** A decoded message, or the error that stopped it. */
  public static final class Decoded<T> {
    private final T message;
    private final OtlpRequestError error;
    private final String errorMessage;

    private Decoded(T message, OtlpRequestError error, String errorMessage) {
      this.message = message;
      this.error = error;
      this.errorMessage = errorMessage;
    }

    static <T> Decoded<T> error(OtlpRequestError error, String message) {
      return new Decoded<>(null, error, message);
    }

    /** The message; null if {@link #error()} is set. */
    public T message() {
      return message;
    }

    /** Why decoding failed; null on success. */
    public OtlpRequestError error() {
      return error;
    }

    public String errorMessage() {
      return errorMessage;
    }
  }
}
