package dev.confab.signaling;

/**
 * Delivery to the sockets seated in rooms, wherever they are: on this node ({@link LocalSockets}) or on another
 * one of a cluster. Every call is fire-and-forget and keeps its order per target socket: a socket that has closed
 * meanwhile, or a node that is gone, simply receives nothing (its seat is dealt with by the grace period).
 */
public interface Sockets {

    /** Queues a message on the socket. */
    void send(SocketRef to, String json);

    /** The socket no longer speaks for anyone (left, removed, replaced, meeting ended) and closes after its queue. */
    void close(SocketRef socket, int code, String reason);

    /** The participant's role changed (co-host): the socket's later messages act with the new one. */
    void updateParticipant(SocketRef socket, Participant changed);

    /** A host let the socket's participant in from the lobby (already stored): it takes its seat. */
    void letIn(SocketRef socket);

    /** To everyone seated in the room but {@code exceptId} (null: everyone). */
    default void broadcast(Room room, String exceptId, String json) {
        for (Seat seat : room.seats()) {
            if (!seat.id().equals(exceptId)) {
                send(seat.socket(), json);
            }
        }
    }

    /** To the room's host and co-hosts only. */
    default void toModerators(Room room, String json) {
        room.seats().stream().filter(s -> s.participant().moderator()).forEach(s -> send(s.socket(), json));
    }

    /** The lobby changed: the host and co-hosts get who waits now. */
    default void tellModeratorsWhoWaits(Room room) {
        toModerators(room, Outgoing.knocking(room.waiting()));
    }
}
