package dev.confab.signaling;

import java.io.Serializable;

/** Someone in a meeting's lobby: who, through which socket, knocking since when (epoch ms; kept across reconnects). */
public record Waiter(Participant participant, SocketRef socket, long since) implements Serializable {

    public String id() {
        return participant.id();
    }
}
