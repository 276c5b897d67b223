package dev.confab.signaling;

import java.io.Serializable;

/**
 * A participant present in a room: who, through which socket (on which node), in what state; {@code order} is
 * join order. Data only, so that rooms can live in a cluster's shared memory.
 */
public record Seat(Participant participant, SocketRef socket, MediaState state, long order) implements Serializable {

    public String id() {
        return participant.id();
    }

    public Seat withState(MediaState newState) {
        return new Seat(participant, socket, newState, order);
    }
}
