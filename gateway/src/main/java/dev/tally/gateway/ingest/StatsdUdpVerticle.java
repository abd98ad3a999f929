package dev.tally.gateway.ingest;

import dev.tally.gateway.config.CurrentOptions;
import dev.tally.gateway.config.Network;
import dev.tally.gateway.guard.HeapGuard;
import dev.tally.protocol.statsd.StatsdLineParser;
import dev.tally.protocol.statsd.StatsdParserOptions;
import dev.tally.verticles.bus.Inbox;
import dev.tally.verticles.bus.ShardRouter;
import dev.tally.verticles.logs.LogStoreStats;
import dev.tally.verticles.stats.PacketDropReason;
import dev.tally.verticles.stats.PipelineStats;
import dev.tally.verticles.stats.RateLimitedLog;
import dev.tally.verticles.stats.StatsdTransport;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultAddressedEnvelope;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.unix.DomainSocketAddress;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One StatsD UDP socket, read on a thread of its own (a Netty event loop of the gateway's StatsD
 * group, not one of Vert.x's event loops, so that OTLP decoding and HTTP cannot starve it): each
 * datagram is parsed in place and its samples batched per shard; at the end of each read turn the
 * batches go to the shards; when the shards are behind, the socket is not read until they catch up
 * (the kernel drops what its buffer cannot hold, and counts it), so that no batch made is dropped
 * and no work is spent on what cannot be aggregated. That end of turn runs on the socket's thread
 * with this verticle's context made current ({@code ContextInternal.dispatch} runs the task in
 * place, it does not hop to the verticle's event loop), so the event bus sees the verticle's
 * context; the accumulator and its pool's trim live on that thread.
 *
 * <p>It registers a Netty datagram channel of Vert.x's transport (native epoll when available)
 * instead of using Vert.x's {@code DatagramSocket}, which reads one datagram per wake-up ({@code
 * maxMessagesPerRead(1)}) and sizes its read buffer to the socket's receive buffer. Several
 * instances share one port with {@code SO_REUSEPORT} and the kernel spreads senders over them.
 *
 * <p>The same reader serves a Unix datagram socket ({@code statsd-unix-socket}, the transport
 * DogStatsD clients use in containers): a Netty epoll domain datagram channel, bound to the path (a
 * socket file left by an earlier run is replaced, and removed at the stop).
 */
public final class StatsdUdpVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(StatsdUdpVerticle.class.getName());

  /** One line a minute at most: a socket error can repeat with every datagram. */
  private static final RateLimitedLog SOCKET_ERRORS = new RateLimitedLog(LOG, 60_000);

  /** While reading is paused, how often the reader looks whether the shards have caught up. */
  static final long RESUME_CHECK_MICROS = 500;

  /** Datagrams a {@code recvmmsg} call may read (native epoll), each in a slot of one buffer. */
  static final int DATAGRAMS_PER_CALL = 16;

  /**
   * Datagrams read per wake-up before other channels get a turn: the end of a turn sends a batch to
   * each shard and wakes it, which cost a tenth of the reader's time at 64 (100 series, full speed,
   * async-profiler). A StatsD thread reads one socket; its other tasks (the pool's trim, the
   * liveness ping) are rare.
   */
  static final int MAX_MESSAGES_PER_READ = 256;

  private final SocketAddress address;
  private final int receiveBuffer;
  private final int maxPacketSize;
  private final boolean reusePort;
  private final StatsdParserOptions parserOptions;
  private final ShardRouter router;
  private final PipelineStats stats;
  private final RejectedLines rejected;
  private final CurrentOptions options;
  private final HeapGuard guard;
  private final Inbox logInbox;
  private final LogStoreStats logStats;
  private final EventLoop loop;
  private Channel channel;
  private ScheduledFuture<?> trimTask;
  private volatile int boundPort = -1;

  /** The socket file's identity (device and inode) once bound; null for UDP. */
  private volatile Object boundFile;

  private volatile int effectiveReceiveBuffer = -1;

  /**
   * @param address an {@link InetSocketAddress} (UDP) or a {@link DomainSocketAddress} (a Unix
   *     datagram socket)
   */
  public StatsdUdpVerticle(
      SocketAddress address,
      int receiveBuffer,
      int maxPacketSize,
      boolean reusePort,
      StatsdParserOptions parserOptions,
      ShardRouter router,
      PipelineStats stats,
      RejectedLines rejected,
      CurrentOptions options,
      HeapGuard guard,
      Inbox logInbox,
      LogStoreStats logStats,
      EventLoop loop) {
    this.loop = loop;
    this.logInbox = logInbox;
    this.logStats = logStats;
    this.options = options;
    this.guard = guard;
    this.address = address;
    this.receiveBuffer = receiveBuffer;
    this.maxPacketSize = maxPacketSize;
    this.reusePort = reusePort;
    this.parserOptions = new StatsdParserOptions(parserOptions);
    this.router = router;
    this.stats = stats;
    this.rejected = rejected;
  }

  @Override
  public Future<?> start() {
    ContextInternal ctx = (ContextInternal) context;
    VertxInternal vx = (VertxInternal) vertx;
    StatsdTransport transport = StatsdTransport.UDP;
    if (address instanceof DomainSocketAddress domain) {
      if (!Epoll.isAvailable()) {
        return Future.failedFuture(
            "statsd-unix-socket needs the native epoll transport (Linux), which is not available");
      }
      try {
        refuseNonSocket(domain);
      } catch (IOException e) {
        return Future.failedFuture(e);
      }
      transport = StatsdTransport.UNIX;
      channel = new EpollDomainDatagramChannel();
    } else {
      boolean v6 = ((InetSocketAddress) address).getAddress() instanceof Inet6Address;
      channel =
          vx.transport()
              .datagramChannel(v6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
    }
    channel.config().setOption(ChannelOption.SO_RCVBUF, receiveBuffer);
    // one byte more than the limit tells an over-long datagram (the kernel cuts it) from a full one
    int slot = maxPacketSize + 1;
    FixedRecvByteBufAllocator allocator;
    if (channel instanceof EpollDatagramChannel) {
      // recvmmsg: up to DATAGRAMS_PER_CALL datagrams per system call, each in a slot of one buffer
      channel.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot);
      allocator = new FixedRecvByteBufAllocator(slot * DATAGRAMS_PER_CALL);
    } else {
      allocator = new FixedRecvByteBufAllocator(slot);
    }
    allocator.maxMessagesPerRead(MAX_MESSAGES_PER_READ);
    channel.config().setRecvByteBufAllocator(allocator);
    if (reusePort && channel instanceof EpollDatagramChannel) {
      channel.config().setOption(EpollChannelOption.SO_REUSEPORT, true);
    }
    BatchAccumulator accumulator =
        BatchAccumulator.onEventBus(vertx.eventBus(), router, stats, rejected, logInbox, logStats);
    DatagramHandler handler =
        new DatagramHandler(
            new StatsdLineParser(parserOptions), accumulator, stats, maxPacketSize, transport);
    channel.pipeline().addLast(new Reader(ctx, handler, this::dropReason, stats));
    Promise<Void> bound = ctx.promise();
    // the socket's own thread, not the verticle's event loop: OTLP decoding and HTTP on the event
    // loops cannot starve it (the reads still dispatch on the verticle's context)
    (loop != null ? loop : ctx.nettyEventLoop())
        .register(channel)
        .addListener(
            reg -> {
              if (!reg.isSuccess()) {
                bound.fail(reg.cause());
                return;
              }
              // on the channel's thread, where the accumulator lives
              trimTask =
                  channel
                      .eventLoop()
                      .scheduleAtFixedRate(
                          accumulator::trim,
                          BatchAccumulator.TRIM_MILLIS,
                          BatchAccumulator.TRIM_MILLIS,
                          TimeUnit.MILLISECONDS);
              ChannelFuture bind = channel.bind(address);
              bind.addListener(
                  b -> {
                    if (b.isSuccess()) {
                      if (channel.localAddress() instanceof InetSocketAddress local) {
                        boundPort = local.getPort();
                      } else if (address instanceof DomainSocketAddress domain) {
                        boundFile = fileKey(Path.of(domain.path()));
                      }
                      Integer rcvbuf = channel.config().getOption(ChannelOption.SO_RCVBUF);
                      effectiveReceiveBuffer = rcvbuf == null ? -1 : rcvbuf;
                      bound.complete();
                    } else {
                      bound.fail(
                          address instanceof DomainSocketAddress domain
                              ? new IOException(
                                  "statsd-unix-socket "
                                      + domain.path()
                                      + ": "
                                      + b.cause().getMessage(),
                                  b.cause())
                              : b.cause());
                    }
                  });
            });
    return bound.future();
  }

  @Override
  public Future<?> stop() {
    if (trimTask != null) {
      trimTask.cancel(false);
    }
    Promise<Void> closed = ((ContextInternal) context).promise();
    channel
        .close()
        .addListener(
            f -> {
              try {
                removeOwnSocket();
              } finally {
                closed.complete();
              }
            });
    return closed.future();
  }

  /**
   * Removes the socket file this verticle bound, if it is still that file (another instance may
   * have bound the path since, in a restart that overlaps).
   */
  private void removeOwnSocket() {
    if (!(address instanceof DomainSocketAddress domain) || boundFile == null) {
      return;
    }
    Path path = Path.of(domain.path());
    try {
      if (boundFile.equals(fileKey(path))) {
        Files.delete(path);
      }
    } catch (IOException e) {
      LOG.log(Level.FINE, "StatsD Unix socket file not removed", e);
    }
  }

  /** The identity of the file at {@code path} (device and inode); null if it cannot be read. */
  private static Object fileKey(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Refuses a path where something other than a socket is: Netty's bind of a Unix socket removes
   * whatever is at the path first, which must only ever be a socket an earlier run left.
   */
  private static void refuseNonSocket(DomainSocketAddress domain) throws IOException {
    Path path = Path.of(domain.path());
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)
        && ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT)
            != S_IFSOCK) {
      throw new IOException(
          "statsd-unix-socket " + path + ": exists and is not a socket (it is left alone)");
    }
  }

  /** The file type bits of a Unix mode, and a socket's. */
  private static final int S_IFMT = 0170000;

  private static final int S_IFSOCK = 0140000;

  /** The bound port; -1 before the socket is bound. */
  public int port() {
    return boundPort;
  }

  /** SO_RCVBUF as the kernel reports it (Linux doubles the request, capped by rmem_max). */
  public int receiveBufferSize() {
    return effectiveReceiveBuffer;
  }

  /**
   * Why a datagram from {@code sender} is dropped before parsing (the heap guard refuses ingest, or
   * the sender is outside {@code statsd-allow}), or null to parse it.
   */
  private PacketDropReason dropReason(SocketAddress from) {
    if (guard.refusing()) {
      return PacketDropReason.MEMORY_LIMIT;
    }
    List<Network> allow = options.get().statsdAllow();
    if (allow.isEmpty() || !(from instanceof InetSocketAddress sender)) {
      return null; // a Unix socket's senders are local: statsd-allow is for networks
    }
    byte[] address = sender.getAddress().getAddress(); // copied once per datagram
    if (Network.allows(allow, address)) {
      return null;
    }
    return PacketDropReason.SOURCE_NOT_ALLOWED;
  }

  /** Reads datagrams into the {@link DatagramHandler}; a read turn ends at channelReadComplete. */
  private static final class Reader extends ChannelInboundHandlerAdapter {
    private final ContextInternal ctx;
    private final DatagramHandler handler;
    private final Function<SocketAddress, PacketDropReason> filter;
    private final PipelineStats stats;
    private final Runnable endOfTurn;
    private byte[] scratch = new byte[2048];

    Reader(
        ContextInternal ctx,
        DatagramHandler handler,
        Function<SocketAddress, PacketDropReason> filter,
        PipelineStats stats) {
      this.ctx = ctx;
      this.handler = handler;
      this.filter = filter;
      this.stats = stats;
      this.endOfTurn = handler::endOfTurn;
    }

    @Override
    public void channelRead(ChannelHandlerContext chctx, Object msg) {
      if (!(msg instanceof DefaultAddressedEnvelope<?, ?> packet)
          || !(packet.content() instanceof ByteBuf content)) {
        io.netty.util.ReferenceCountUtil.release(msg);
        return;
      }
      PacketDropReason drop = filter.apply(packet.sender());
      if (drop != null) {
        stats.addPackets(1);
        stats.addPacketDropped(drop);
        content.release();
        return;
      }
      try {
        int len = content.readableBytes();
        if (scratch.length < len) {
          scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        content.getBytes(content.readerIndex(), scratch, 0, len);
        handler.datagram(scratch, len);
      } finally {
        content.release();
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext chctx) {
      ctx.dispatch(endOfTurn);
      Channel channel = chctx.channel();
      // while paused, the one scheduled look (resumeLater) turns reading back on: no second loop
      if (channel.config().isAutoRead() && handler.backlogged()) {
        // the shards are behind: leave the datagrams to the socket's buffer, and beyond it to
        // the kernel, which drops and counts them, instead of reading what cannot be aggregated
        channel.config().setAutoRead(false);
        resumeLater(channel);
      }
    }

    /** Reads again once the shards have caught up; looks every {@link #RESUME_CHECK_MICROS}. */
    private void resumeLater(Channel channel) {
      channel
          .eventLoop()
          .schedule(
              () -> {
                if (!channel.isOpen()) {
                  return;
                }
                if (handler.caughtUp()) {
                  channel.config().setAutoRead(true);
                } else {
                  resumeLater(channel);
                }
              },
              RESUME_CHECK_MICROS,
              TimeUnit.MICROSECONDS);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext chctx, Throwable cause) {
      SOCKET_ERRORS.log(Level.WARNING, () -> "StatsD socket error (the socket stays open)", cause);
    }
  }
}
