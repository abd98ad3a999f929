package dev.tally.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Hostile clients on plain sockets, as the attack scripts were: clients of the live feed that never
 * read, connections that send nothing, uploads that stop half-way. Each socket has a small receive
 * buffer, so that the gateway's writes back up soon and the kernel holds little for it.
 */
public final class Hostile implements AutoCloseable {
  private final List<Socket> sockets = new ArrayList<>();

  /** Sockets opened so far (some may have been closed by the gateway). */
  public int size() {
    return sockets.size();
  }

  /** Opens {@code n} SSE streams of every series and never reads them. */
  public Hostile nonReadingSse(int port, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      send(port, "GET /api/stream?match=* HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }
    return this;
  }

  /**
   * Opens {@code n} WebSockets subscribed to every series and never reads them; they offer
   * per-message compression, as browsers do.
   */
  public Hostile nonReadingWebSockets(int port, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      send(port, webSocketUpgrade(i));
    }
    return this;
  }

  /** A WebSocket handshake offering compression, answered; the reply's head. */
  public static String webSocketHandshake(int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(webSocketUpgrade(-1).getBytes(StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      java.io.InputStream in = s.getInputStream();
      while (head.indexOf("\r\n\r\n") < 0) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.append((char) b);
      }
      return head.toString();
    }
  }

  private static String webSocketUpgrade(int i) {
    String key = Base64.getEncoder().encodeToString(("hostile-" + i + "-key!").getBytes());
    return "GET /api/ws?match=* HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
        + key
        + "\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
  }

  /** Opens {@code n} connections that send nothing. */
  public Hostile idle(int port, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      open(port);
    }
    return this;
  }

  /**
   * Starts {@code n} POSTs to {@code path} that declare {@code declared} bytes, send {@code sent}
   * of them and stop. A write the gateway refuses (it closed the connection) ends that upload.
   */
  public Hostile stalledUploads(int port, String path, int n, int declared, int sent)
      throws IOException {
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) 0x0a);
    for (int i = 0; i < n; i++) {
      Socket s =
          send(
              port,
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
                  + "Content-Length: "
                  + declared
                  + "\r\n\r\n");
      try {
        OutputStream out = s.getOutputStream();
        for (int left = sent; left > 0; left -= chunk.length) {
          out.write(chunk, 0, Math.min(left, chunk.length));
        }
        out.flush();
      } catch (IOException e) {
        // refused half-way: what the gateway should do once the budget is taken
      }
    }
    return this;
  }

  private Socket send(int port, String request) throws IOException {
    Socket s = open(port);
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  private Socket open(int port) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    sockets.add(s);
    return s;
  }

  @Override
  public void close() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
    sockets.clear();
  }

  /** Sends StatsD lines, one datagram each, to 127.0.0.1. */
  public static void statsd(int port, List<String> lines) throws IOException {
    try (DatagramSocket udp = new DatagramSocket()) {
      InetAddress local = InetAddress.getLoopbackAddress();
      for (String line : lines) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        udp.send(new DatagramPacket(b, b.length, local, port));
      }
    }
  }

  /** File descriptors the process holds now (Linux). */
  public static int openFiles(Process p) {
    String[] fds = new java.io.File("/proc/" + p.pid() + "/fd").list();
    return fds == null ? -1 : fds.length;
  }
}
