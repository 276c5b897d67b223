package dev.confab.cluster;

import dev.confab.signaling.Participant;

import java.io.Serializable;

/** What one node asks another to do with sockets it holds, by their numbers there. */
sealed interface SocketCommand extends Serializable {

    /** The same message to each of these sockets (one for a signal, several for a broadcast). */
    record Send(long[] to, String json) implements SocketCommand {
    }

    record Close(long socket, int code, String reason) implements SocketCommand {
    }

    record UpdateParticipant(long socket, Participant changed) implements SocketCommand {
    }

    record LetIn(long socket) implements SocketCommand {
    }
}
