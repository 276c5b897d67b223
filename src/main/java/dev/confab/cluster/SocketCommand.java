package dev.confab.cluster;

import dev.confab.signaling.LocalSockets;
import dev.confab.signaling.Participant;

import java.io.Serializable;

/**
 * What is to be done with sockets of one node, by their numbers there: carried out at once when that node is this
 * one, else sent to it through its inbox ({@link GridSockets}, {@link ClusterInbox}).
 */
sealed interface SocketCommand extends Serializable {

    /** On the node that holds the sockets. */
    void carryOut(LocalSockets here);

    /** The same message to each of these sockets (one for a signal, several for a broadcast). */
    record Send(long[] to, String json) implements SocketCommand {
        @Override
        public void carryOut(LocalSockets here) {
            for (long number : to) {
                here.send(here.ref(number), json);
            }
        }
    }

    record Close(long socket, int code, String reason) implements SocketCommand {
        @Override
        public void carryOut(LocalSockets here) {
            here.close(here.ref(socket), code, reason);
        }
    }

    record UpdateParticipant(long socket, Participant changed) implements SocketCommand {
        @Override
        public void carryOut(LocalSockets here) {
            here.updateParticipant(here.ref(socket), changed);
        }
    }

    record LetIn(long socket) implements SocketCommand {
        @Override
        public void carryOut(LocalSockets here) {
            here.letIn(here.ref(socket));
        }
    }
}
