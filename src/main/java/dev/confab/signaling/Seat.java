package dev.confab.signaling;

/** A participant present in a room: who, through which socket, in what state; {@code order} is join order. */
public record Seat(Participant participant, Connection connection, MediaState state, long order) {

    public String id() {
        return participant.id();
    }

    public Seat withState(MediaState newState) {
        return new Seat(participant, connection, newState, order);
    }
}
