package dev.confab.signaling;

/** Someone in a meeting's lobby: who, through which socket, knocking since when (epoch ms; kept across reconnects). */
public record Waiter(Participant participant, Connection connection, long since) {

    public String id() {
        return participant.id();
    }
}
