package dev.confab.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import dev.confab.signaling.LocalSockets;
import dev.confab.signaling.Participant;
import dev.confab.signaling.Room;
import dev.confab.signaling.Seat;
import dev.confab.signaling.SocketRef;
import dev.confab.signaling.Sockets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Sockets} across the cluster: this node's sockets directly, another node's through that node's own grid
 * topic ({@link ClusterInbox} on the other end). A topic delivers one publisher's messages in the order they were
 * published, so what one node sends to a socket arrives in order; a broadcast is one message per node, whatever
 * the number of its sockets there.
 */
final class GridSockets implements Sockets {

    private static final String TOPIC_PREFIX = "confab-node-";

    private final HazelcastInstance grid;
    private final LocalSockets here;
    private final HeldDeliveries held;

    GridSockets(HazelcastInstance grid, LocalSockets here, HeldDeliveries held) {
        this.grid = grid;
        this.here = here;
        this.held = held;
    }

    /** Now, or once the room action this thread is in has stored the room. */
    private void deliver(Runnable delivery) {
        if (!held.offer(delivery)) {
            delivery.run();
        }
    }

    private ITopic<SocketCommand> inbox(String node) {
        return grid.getTopic(inboxName(node));
    }

    /** The grid topic that carries other nodes' commands to {@code node}. */
    static String inboxName(String node) {
        return TOPIC_PREFIX + node;
    }

    private boolean isHere(SocketRef socket) {
        return here.node().equals(socket.node());
    }

    @Override
    public void send(SocketRef to, String json) {
        deliver(() -> {
            if (isHere(to)) {
                here.send(to, json);
            } else {
                inbox(to.node()).publish(new SocketCommand.Send(new long[] {to.number()}, json));
            }
        });
    }

    @Override
    public void close(SocketRef socket, int code, String reason) {
        deliver(() -> {
            if (isHere(socket)) {
                here.close(socket, code, reason);
            } else {
                inbox(socket.node()).publish(new SocketCommand.Close(socket.number(), code, reason));
            }
        });
    }

    @Override
    public void updateParticipant(SocketRef socket, Participant changed) {
        deliver(() -> {
            if (isHere(socket)) {
                here.updateParticipant(socket, changed);
            } else {
                inbox(socket.node()).publish(new SocketCommand.UpdateParticipant(socket.number(), changed));
            }
        });
    }

    @Override
    public void letIn(SocketRef socket) {
        deliver(() -> {
            if (isHere(socket)) {
                here.letIn(socket);
            } else {
                inbox(socket.node()).publish(new SocketCommand.LetIn(socket.number()));
            }
        });
    }

    @Override
    public void broadcast(Room room, String exceptId, String json) {
        List<SocketRef> local = new ArrayList<>();
        Map<String, List<Long>> elsewhere = new HashMap<>();
        for (Seat seat : room.seats()) { // read now: the room as the action left it
            if (seat.id().equals(exceptId)) {
                continue;
            }
            if (isHere(seat.socket())) {
                local.add(seat.socket());
            } else {
                elsewhere.computeIfAbsent(seat.socket().node(), n -> new ArrayList<>()).add(seat.socket().number());
            }
        }
        deliver(() -> {
            local.forEach(socket -> here.send(socket, json));
            elsewhere.forEach((node, numbers) -> inbox(node).publish(
                    new SocketCommand.Send(numbers.stream().mapToLong(Long::longValue).toArray(), json)));
        });
    }
}
