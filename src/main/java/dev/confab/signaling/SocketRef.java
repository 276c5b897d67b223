package dev.confab.signaling;

import java.io.Serializable;

/**
 * Where a participant's socket is: the node holding it and the socket's number there. Rooms keep these instead of
 * live sockets, so that a room can be shared between nodes; only {@link Sockets} turns one into a delivery.
 */
public record SocketRef(String node, long number) implements Serializable {
}
