package dev.confab.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP load balancer for the cluster tests, as an operator's would be without sticky sessions: each new
 * connection goes to the next node in turn; a node that refuses the connection (it is down) is skipped. Bytes are
 * copied both ways untouched, so HTTP and WebSocket pass alike. Listens on 127.0.0.1.
 *
 * <p>An {@linkplain #entrance(URI) entrance} is one more listening port that sends its connections to one node
 * first and, when that node is down, to the next in turn: how a test puts a browser on a node of its choice that
 * the balancer can still take it away from.
 */
public final class TcpBalancer implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 1_000;

    private final ServerSocket listener;
    private final List<ServerSocket> entrances = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> nodes = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public TcpBalancer(List<URI> nodeBases) throws IOException {
        nodeBases.forEach(this::add);
        listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        listen(listener, null);
    }

    /** A listening port whose connections go to {@code preferred} while it is up, else round-robin. */
    public URI entrance(URI preferred) throws IOException {
        ServerSocket entrance = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        entrances.add(entrance);
        listen(entrance, new InetSocketAddress(preferred.getHost(), preferred.getPort()));
        return URI.create("http://127.0.0.1:" + entrance.getLocalPort() + "/");
    }

    private void listen(ServerSocket socket, InetSocketAddress preferred) {
        Thread acceptor = new Thread(() -> accept(socket, preferred), "balancer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Puts one more node in the rotation. */
    public void add(URI nodeBase) {
        nodes.add(new InetSocketAddress(nodeBase.getHost(), nodeBase.getPort()));
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/");
    }

    private void accept(ServerSocket socket, InetSocketAddress preferred) {
        while (!closed) {
            try {
                Socket client = socket.accept();
                Thread relay = new Thread(() -> relay(client, preferred), "balancer-relay");
                relay.setDaemon(true);
                relay.start();
            } catch (IOException e) {
                if (!closed) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private void relay(Socket client, InetSocketAddress preferred) {
        Socket first = preferred == null ? null : connect(preferred);
        Socket node = first != null ? first : connectToNextNode();
        if (node == null) {
            quietly(client);
            return;
        }
        open.add(client);
        open.add(node);
        Thread back = new Thread(() -> copy(node, client), "balancer-back");
        back.setDaemon(true);
        back.start();
        copy(client, node);
    }

    /** The next node that takes the connection, each tried once. */
    private Socket connectToNextNode() {
        for (int tries = 0; tries < nodes.size(); tries++) {
            Socket socket = connect(nodes.get(Math.floorMod(next.getAndIncrement(), nodes.size())));
            if (socket != null) {
                return socket;
            } // else out of the rotation for this connection: try the next node
        }
        return null;
    }

    /** A connection to the node, or null when it refuses (it is down). */
    private Socket connect(InetSocketAddress address) {
        Socket socket = new Socket();
        try {
            socket.connect(address, CONNECT_TIMEOUT_MS);
            return socket;
        } catch (IOException down) {
            quietly(socket);
            return null;
        }
    }

    private void copy(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException ended) {
            // either side went away: the other one is closed below, as a balancer does
        } finally {
            quietly(from);
            quietly(to);
        }
    }

    private void quietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing what is already broken
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (ServerSocket entrance : entrances) {
            entrance.close();
        }
        open.forEach(this::quietly);
    }
}
