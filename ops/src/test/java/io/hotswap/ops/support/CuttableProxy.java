package io.hotswap.ops.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay to a real service whose link can be cut and restored, as a network outage would: {@link #cut()} drops
 * every open connection and refuses new ones on the same port until {@link #restore()}.
 */
public final class CuttableProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listening;

    /** A relay to {@code host:port}. */
    public static CuttableProxy to(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new CuttableProxy(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    public CuttableProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = listen(0);
    }

    /** The guide's {@code host:port} form of this relay. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public synchronized void cut() throws IOException {
        listening.close();
        for (Socket socket : open) socket.close();
        open.clear();
    }

    public synchronized void restore() {
        listen(port);
    }

    @Override
    public void close() throws IOException {
        cut();
    }

    private int listen(int onPort) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort));
            listening = server;
            Thread acceptor = new Thread(() -> accept(server), "proxy-accept-" + server.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return server.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(target);
                relay(client, target);
                relay(target, client);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void relay(Socket from, Socket to) {
        Thread relay = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException closed) {
                // cut, or one side closed: the other side goes too
            } finally {
                try {
                    to.close();
                    from.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "proxy-relay");
        relay.setDaemon(true);
        relay.start();
    }
}
