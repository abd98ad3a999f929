package dev.tally.protocol.otlp;

/**
 * Why a whole OTLP request was refused, with its gRPC status code and HTTP status (CONTRACT §4):
 * the one place where protocol errors map to wire codes. The {@link #label()} is the {@code reason}
 * of {@code tally_otlp_requests_rejected_total}.
 */
public enum OtlpRequestError {
  /** The body is not a valid message of the request's encoding, or not valid gzip. */
  UNDECODABLE("undecodable", 3 /* INVALID_ARGUMENT */, 400),
  /** OTLP/HTTP only: a content type other than protobuf or JSON. */
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 3, 415),
  /** The body, or its gzip content, is larger than {@code max-request-size}. */
  TOO_LARGE("too_large", 8 /* RESOURCE_EXHAUSTED */, 413),
  /** Authentication is on and the request has no valid bearer token. */
  UNAUTHENTICATED("unauthenticated", 16 /* UNAUTHENTICATED */, 401),
  /** A shard queue is full: the client should retry later. */
  OVERLOADED("overloaded", 14 /* UNAVAILABLE */, 503),
  /** The heap is over {@code memory-limit-percent} after GC: the client should retry later. */
  MEMORY_LIMIT("memory_limit", 14, 503),
  /** A bug in Tally: processing the request threw. Logged; never expected. */
  INTERNAL("internal", 13 /* INTERNAL */, 500);

  private final String label;
  private final int grpcStatus;
  private final int httpStatus;

  OtlpRequestError(String label, int grpcStatus, int httpStatus) {
    this.label = label;
    this.grpcStatus = grpcStatus;
    this.httpStatus = httpStatus;
  }

  public String label() {
    return label;
  }

  /** The gRPC status code ({@code io.grpc.Status.Code} numbering). */
  public int grpcStatus() {
    return grpcStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** True if the client should send the same request again later (UNAVAILABLE, 503). */
  public boolean retryable() {
    return grpcStatus == 14;
  }
}
