package dev.tally.protocol.otlp;

import dev.tally.protocol.model.TraceIds;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * OTLP/JSON writes trace and span ids ({@code traceId}, {@code spanId}, {@code parentSpanId}) as
 * hex strings, not in base64 as the protobuf JSON mapping does for bytes ("OTLP/JSON" in the OTLP
 * specification). This rewrites such ids into base64 before the protobuf JSON parser reads the
 * body. An id that is not 16 or 32 hex digits is left as it is (the parser then reads it as base64,
 * and the mapper rejects a wrong length).
 */
final class OtlpJsonIds {
  private static final HexFormat HEX = HexFormat.of();

  private OtlpJsonIds() {}

  /** The body with hex ids in base64; {@code json} itself if it names no id. */
  static String toProtobufJson(String json) {
    if (!json.contains("traceId") && !json.contains("spanId") && !json.contains("SpanId")) {
      return json;
    }
    JsonObject root = new JsonObject(json);
    rewrite(root);
    return root.encode();
  }

  private static void rewrite(Object node) {
    if (node instanceof JsonObject) {
      JsonObject o = (JsonObject) node;
      for (String key : List.copyOf(o.fieldNames())) {
        Object v = o.getValue(key); // nested objects and arrays wrap the same storage
        if (v instanceof String && isId(key)) {
          o.put(key, base64((String) v));
        } else {
          rewrite(v);
        }
      }
    } else if (node instanceof JsonArray) {
      for (Object v : (JsonArray) node) {
        rewrite(v);
      }
    }
  }

  private static boolean isId(String key) {
    return key.equals("traceId") || key.equals("spanId") || key.equals("parentSpanId");
  }

  private static String base64(String id) {
    if ((id.length() != 32 && id.length() != 16) || !TraceIds.isHex(id)) {
      return id;
    }
    return Base64.getEncoder().encodeToString(HEX.parseHex(id));
  }
}
