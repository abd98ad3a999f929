package dev.tally.verticles.bus;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes an immutable object between verticles of one process as it is: {@link #transform} returns
 * the same instance (safe only because the payload types are immutable once sent, unlike {@code
 * JsonObject}, which Vert.x copies). Local only: encoding for the wire is unsupported.
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {
  private final String name;

  private LocalCodec(String name) {
    this.name = name;
  }

  /** Registers a local codec as the default for {@code type}, unless one is already registered. */
  public static <T> void register(Vertx vertx, Class<T> type) {
    try {
      vertx
          .eventBus()
          .registerDefaultCodec(type, new LocalCodec<T>("tally-local-" + type.getSimpleName()));
    } catch (IllegalStateException alreadyRegistered) {
      // another deployment on this Vertx registered it: nothing to do
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T t) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public T transform(T t) {
    return t;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
