package dev.tally.protocol.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.vertx.core.json.DecodeException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The two encodings of OTLP/HTTP bodies (gRPC uses {@link #PROTOBUF}): binary protobuf and the OTLP
 * JSON encoding (proto3 JSON with unknown fields ignored and trace and span ids in hex, as the OTLP
 * specification requires).
 */
public enum OtlpEncoding {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer JSON_PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final String contentType;

  OtlpEncoding(String contentType) {
    this.contentType = contentType;
  }

  public String contentType() {
    return contentType;
  }

  /**
   * The encoding of a {@code Content-Type} header (parameters such as {@code charset} ignored), or
   * null if it is neither protobuf nor JSON.
   */
  public static OtlpEncoding ofContentType(String header) {
    if (header == null) {
      return null;
    }
    int semicolon = header.indexOf(';');
    String type =
        (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    for (OtlpEncoding e : values()) {
      if (e.contentType.equals(type)) {
        return e;
      }
    }
    return null;
  }

  /** Parses {@code bytes} into {@code builder}. */
  public void merge(byte[] bytes, Message.Builder builder) throws InvalidProtocolBufferException {
    if (this == PROTOBUF) {
      builder.mergeFrom(bytes);
    } else {
      String json = new String(bytes, StandardCharsets.UTF_8);
      try {
        json = OtlpJsonIds.toProtobufJson(json);
      } catch (DecodeException e) {
        throw new InvalidProtocolBufferException("not JSON: " + e.getMessage());
      }
      JSON_PARSER.merge(json, builder);
    }
  }

  public byte[] encode(Message message) {
    if (this == PROTOBUF) {
      return message.toByteArray();
    }
    try {
      return JSON_PRINTER.print(message).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      // only for Any fields with unknown types, which OTLP responses do not have
      throw new IllegalStateException(e);
    }
  }
}
