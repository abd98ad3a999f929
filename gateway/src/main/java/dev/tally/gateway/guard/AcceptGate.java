package dev.tally.gateway.guard;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sits on every TCP server socket of a Vert.x built with a {@link GatedTransport} and meets each
 * accepted connection before Vert.x does: a connection to a guarded port beyond its {@link
 * ConnectionLimit} is closed there, before any byte is read. Vert.x itself only meets an h2c
 * connection (the gRPC port) once it has sent its first bytes, so without this a client could hold
 * any number of silent connections open until the idle timeout. Thread-safe; the acceptor thread
 * calls it.
 */
@ChannelHandler.Sharable
public final class AcceptGate extends ChannelInboundHandlerAdapter {
  private final Map<Integer, ConnectionLimit> limits = new ConcurrentHashMap<>();

  /** The gate of a Vert.x built with a {@link GatedTransport}, or null. */
  public static AcceptGate of(Vertx vertx) {
    return vertx instanceof VertxInternal v ? GatedTransport.gateOf(v.transport()) : null;
  }

  /** Applies {@code limit} to the connections accepted on {@code port} from now on. */
  public void guard(int port, ConnectionLimit limit) {
    limits.put(port, limit);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Channel child
        && ctx.channel().localAddress() instanceof InetSocketAddress local) {
      ConnectionLimit limit = limits.get(local.getPort());
      if (limit != null && !limit.admit(child)) {
        child.unsafe().closeForcibly(); // not registered yet: as Netty's acceptor closes one
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }
}
