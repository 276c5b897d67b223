package dev.confab.signaling;

import jakarta.enterprise.event.Event;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sockets this node holds, by number, and delivery to them. Alone it is the whole of {@link Sockets} on a
 * single node; a cluster's delivery hands it what is meant for this node.
 */
public final class LocalSockets implements Sockets {

    private final String node;
    private final Event<LetIn> letIn;
    private final AtomicLong numbers = new AtomicLong();
    private final Map<Long, Connection> open = new ConcurrentHashMap<>();

    public LocalSockets(String node, Event<LetIn> letIn) {
        this.node = node;
        this.letIn = letIn;
    }

    /** This node's name in every {@link SocketRef} it hands out. */
    public String node() {
        return node;
    }

    /** A reference for a socket about to open here. */
    SocketRef nextRef() {
        return ref(numbers.incrementAndGet());
    }

    /** The reference of this node's socket {@code number}. */
    public SocketRef ref(long number) {
        return new SocketRef(node, number);
    }

    void register(Connection connection) {
        open.put(connection.ref().number(), connection);
    }

    void forget(Connection connection) {
        open.remove(connection.ref().number(), connection);
    }

    /** The live socket behind {@code ref}, if it is on this node and still open. */
    public Optional<Connection> find(SocketRef ref) {
        return node.equals(ref.node()) ? Optional.ofNullable(open.get(ref.number())) : Optional.empty();
    }

    @Override
    public void send(SocketRef to, String json) {
        find(to).ifPresent(c -> c.send(json));
    }

    @Override
    public void close(SocketRef socket, int code, String reason) {
        find(socket).ifPresent(c -> {
            c.retire();
            c.close(code, reason);
        });
    }

    @Override
    public void updateParticipant(SocketRef socket, Participant changed) {
        find(socket).ifPresent(c -> c.updateParticipant(changed));
    }

    @Override
    public void letIn(SocketRef socket) {
        find(socket).ifPresent(c -> letIn.fire(new LetIn(c)));
    }
}
