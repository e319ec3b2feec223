package io.cairn.testing.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** A plain-socket loopback server behind the proxy under test: it echoes, counts or ignores what it receives. */
final class TestServer implements AutoCloseable {
  enum Mode {
    /** Writes back everything it reads; shuts its output down at the client's FIN. */
    ECHO,
    /** Reads and counts. */
    COUNT,
    /** Accepts and never reads. */
    IGNORE
  }

  private final ServerSocket server;
  private final Mode mode;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final AtomicLong received = new AtomicLong();

  TestServer(Mode mode) throws IOException {
    this.mode = mode;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::acceptLoop);
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  /** @return bytes received so far, all connections together (COUNT) */
  long received() {
    return received.get();
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket s = server.accept();
        accepted.add(s);
        if (mode != Mode.IGNORE) {
          Thread.ofVirtual().start(() -> serve(s));
        }
      }
    } catch (IOException closed) {
      // the server socket was closed: the test is over
    }
  }

  private void serve(Socket s) {
    byte[] buf = new byte[65536];
    try (InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        received.addAndGet(n);
        if (mode == Mode.ECHO) {
          out.write(buf, 0, n);
        }
      }
      s.shutdownOutput();
    } catch (IOException e) {
      // reset or closed by the test
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : accepted) {
      s.close();
    }
  }
}
