package dev.tally.gateway.guard;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.impl.transports.NioTransport;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.spi.transport.Transport;
import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * A Vert.x transport (the native one, else NIO) whose TCP server sockets carry an {@link
 * AcceptGate}. Everything else is the wrapped transport's. Vert.x tells native from NIO by the
 * transport's class, so NIO is extended ({@link Nio}) rather than wrapped.
 */
public final class GatedTransport implements Transport {
  private final Transport delegate;
  private final AcceptGate gate;

  private GatedTransport(Transport delegate, AcceptGate gate) {
    this.delegate = delegate;
    this.gate = gate;
  }

  /** For {@code VertxBuilder.withTransport}: the native transport if available, else NIO. */
  public static io.vertx.core.transport.Transport create(boolean preferNative) {
    io.vertx.core.transport.Transport in =
        preferNative ? io.vertx.core.transport.Transport.nativeTransport() : null;
    AcceptGate gate = new AcceptGate();
    if (in != null && in.available()) {
      return described(in.name(), new GatedTransport(in.implementation(), gate));
    }
    return described("nio", new Nio(gate));
  }

  private static io.vertx.core.transport.Transport described(String name, Transport impl) {
    return new io.vertx.core.transport.Transport() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean available() {
        return true;
      }

      @Override
      public Throwable unavailabilityCause() {
        return null;
      }

      @Override
      public Transport implementation() {
        return impl;
      }
    };
  }

  static AcceptGate gateOf(Transport transport) {
    if (transport instanceof GatedTransport g) {
      return g.gate;
    }
    return transport instanceof Nio n ? n.gate : null;
  }

  @Override
  public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
    delegate.configure(options, domainSocket, bootstrap);
    bootstrap.handler(gate);
  }

  @Override
  public boolean supportsDomainSockets() {
    return delegate.supportsDomainSockets();
  }

  @Override
  public boolean supportFileRegion() {
    return delegate.supportFileRegion();
  }

  @Override
  public boolean isAvailable() {
    return delegate.isAvailable();
  }

  @Override
  public Throwable unavailabilityCause() {
    return delegate.unavailabilityCause();
  }

  @Override
  public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
    return delegate.convert(address);
  }

  @Override
  public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
    return delegate.convert(address);
  }

  @Override
  public IoHandlerFactory ioHandlerFactory() {
    return delegate.ioHandlerFactory();
  }

  @Override
  public EventLoopGroup eventLoopGroup(
      int type, int nThreads, ThreadFactory threadFactory, int ioRatio) {
    return delegate.eventLoopGroup(type, nThreads, threadFactory, ioRatio);
  }

  @Override
  public DatagramChannel datagramChannel() {
    return delegate.datagramChannel();
  }

  @Override
  public DatagramChannel datagramChannel(InternetProtocolFamily family) {
    return delegate.datagramChannel(family);
  }

  @Override
  public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
    return delegate.channelFactory(domainSocket);
  }

  @Override
  public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
    return delegate.serverChannelFactory(domainSocket);
  }

  @Override
  public void configure(DatagramChannel channel, DatagramSocketOptions options) {
    delegate.configure(channel, options);
  }

  @Override
  public void configure(
      ClientOptionsBase options, int connectTimeout, boolean domainSocket, Bootstrap bootstrap) {
    delegate.configure(options, connectTimeout, domainSocket, bootstrap);
  }

  /** NIO with the gate; a subclass, so that Vert.x still knows it is not native. */
  static final class Nio extends NioTransport {
    private final AcceptGate gate;

    Nio(AcceptGate gate) {
      this.gate = gate;
    }

    @Override
    public void configure(
        NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
      super.configure(options, domainSocket, bootstrap);
      bootstrap.handler(gate);
    }
  }
}
