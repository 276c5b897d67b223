package dev.confab.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.confab.signaling.LocalSockets;
import dev.confab.signaling.Participant;
import dev.confab.signaling.Room;
import dev.confab.signaling.Seat;
import dev.confab.signaling.SocketRef;
import dev.confab.signaling.Sockets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /** The grid topic that carries other nodes' commands to {@code node}. */
    static String inboxName(String node) {
        return TOPIC_PREFIX + node;
    }

    /**
     * The command for sockets of {@code node}: carried out here or published to that node's inbox, now or once
     * the room action this thread is in has stored the room.
     */
    private void deliver(String node, SocketCommand command) {
        Runnable delivery = here.node().equals(node) ? () -> command.carryOut(here)
                : () -> grid.<SocketCommand>getTopic(inboxName(node)).publish(command);
        if (!held.offer(delivery)) {
            delivery.run();
        }
    }

    @Override
    public void send(SocketRef to, String json) {
        deliver(to.node(), new SocketCommand.Send(new long[] {to.number()}, json));
    }

    @Override
    public void close(SocketRef socket, int code, String reason) {
        deliver(socket.node(), new SocketCommand.Close(socket.number(), code, reason));
    }

    @Override
    public void updateParticipant(SocketRef socket, Participant changed) {
        deliver(socket.node(), new SocketCommand.UpdateParticipant(socket.number(), changed));
    }

    @Override
    public void letIn(SocketRef socket) {
        deliver(socket.node(), new SocketCommand.LetIn(socket.number()));
    }

    /** One command per node, whatever the number of its sockets; per node in the order of the room's seats. */
    @Override
    public void broadcast(Room room, String exceptId, String json) {
        Map<String, List<Long>> byNode = new LinkedHashMap<>();
        for (Seat seat : room.seats()) { // read now: the room as the action left it
            if (!seat.id().equals(exceptId)) {
                byNode.computeIfAbsent(seat.socket().node(), n -> new ArrayList<>()).add(seat.socket().number());
            }
        }
        byNode.forEach((node, numbers) ->
                deliver(node, new SocketCommand.Send(numbers.stream().mapToLong(Long::longValue).toArray(), json)));
    }
}
