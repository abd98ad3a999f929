package dev.tally.loadtest.simulation;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * gRPC-Web framing (as the gRPC-Web protocol defines it over HTTP/1.1): each message is a frame of
 * a flag byte, a 4-byte big-endian length and the bytes; a response ends with a trailer frame (flag
 * {@code 0x80}) holding {@code grpc-status:} and {@code grpc-message:} lines.
 */
final class GrpcWeb {
  private static final int TRAILER = 0x80;

  private GrpcWeb() {}

  /** One uncompressed data frame around {@code message}. */
  static byte[] frame(byte[] message) {
    return ByteBuffer.allocate(5 + message.length)
        .put((byte) 0)
        .putInt(message.length)
        .put(message)
        .array();
  }

  /** The data frame's message of a response body; empty if there is none. */
  static byte[] message(byte[] body) {
    ByteBuffer b = ByteBuffer.wrap(body);
    while (b.remaining() >= 5) {
      int flag = b.get() & 0xFF;
      int length = b.getInt();
      if (length < 0 || length > b.remaining()) {
        break;
      }
      if (flag == 0) {
        return Arrays.copyOfRange(body, b.position(), b.position() + length);
      }
      b.position(b.position() + length);
    }
    return new byte[0];
  }

  /** The {@code grpc-status} of a response body's trailer frame; -1 if it has none. */
  static int status(byte[] body) {
    ByteBuffer b = ByteBuffer.wrap(body);
    while (b.remaining() >= 5) {
      int flag = b.get() & 0xFF;
      int length = b.getInt();
      if (length < 0 || length > b.remaining()) {
        return -1;
      }
      if ((flag & TRAILER) != 0) {
        String trailers = new String(body, b.position(), length, StandardCharsets.US_ASCII);
        for (String line : trailers.split("\r\n")) {
          if (line.toLowerCase().startsWith("grpc-status:")) {
            return Integer.parseInt(line.substring("grpc-status:".length()).trim());
          }
        }
        return -1;
      }
      b.position(b.position() + length);
    }
    return -1;
  }
}
