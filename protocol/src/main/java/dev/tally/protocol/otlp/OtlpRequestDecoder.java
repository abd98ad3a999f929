package dev.tally.protocol.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

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
   * another thread, having spent at most {@code limit} bytes of work on it. Several members in a
   * row are read as one body, as RFC 1952 allows; anything else after a member is an error (the
   * JDK's {@code GZIPInputStream} ignores it, so a body with garbage at its end would pass).
   *
   * @throws IOException if the body is not valid gzip: a bad header, a truncated stream, a wrong
   *     checksum or length, or bytes after the last member
   */
  public static byte[] inflate(byte[] body, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(limit, body.length * 4L));
    byte[] chunk = new byte[8192];
    Inflater inflater = new Inflater(true);
    CRC32 crc = new CRC32();
    try {
      int at = 0;
      do {
        at = headerEnd(body, at);
        inflater.reset();
        inflater.setInput(body, at, body.length - at);
        crc.reset();
        long size = 0;
        while (!inflater.finished()) {
          int n = inflater.inflate(chunk);
          if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            throw new EOFException("gzip body ends inside its data");
          }
          if (out.size() + n > limit) {
            return null;
          }
          out.write(chunk, 0, n);
          crc.update(chunk, 0, n);
          size += n;
        }
        at = body.length - inflater.getRemaining();
        if (at + 8 > body.length) {
          throw new EOFException("gzip body ends inside its trailer");
        }
        if (littleEndianInt(body, at) != (int) crc.getValue()
            || littleEndianInt(body, at + 4) != (int) size) {
          throw new ZipException("gzip checksum or length does not match the data");
        }
        at += 8;
      } while (at < body.length);
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new ZipException("gzip data is not valid deflate: " + e.getMessage());
    } finally {
      inflater.end();
    }
  }

  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  /** Where the deflate data of the gzip member at {@code at} begins (RFC 1952 section 2.3). */
  private static int headerEnd(byte[] b, int at) throws IOException {
    if (at + 10 > b.length || (b[at] & 0xFF) != 0x1f || (b[at + 1] & 0xFF) != 0x8b) {
      throw new ZipException("not a gzip member at byte " + at);
    }
    if (b[at + 2] != 8) {
      throw new ZipException("gzip compression method " + b[at + 2] + " is not deflate");
    }
    int flags = b[at + 3] & 0xFF;
    int i = at + 10;
    if ((flags & FEXTRA) != 0) {
      if (i + 2 > b.length) {
        throw new EOFException("gzip header cut short");
      }
      i += 2 + ((b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8);
    }
    for (int field : new int[] {FNAME, FCOMMENT}) {
      if ((flags & field) != 0) {
        while (i < b.length && b[i] != 0) {
          i++;
        }
        i++; // the zero
      }
    }
    if ((flags & FHCRC) != 0) {
      i += 2;
    }
    if (i > b.length) {
      throw new EOFException("gzip header cut short");
    }
    return i;
  }

  private static int littleEndianInt(byte[] b, int at) {
    return (b[at] & 0xFF)
        | (b[at + 1] & 0xFF) << 8
        | (b[at + 2] & 0xFF) << 16
        | (b[at + 3] & 0xFF) << 24;
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
