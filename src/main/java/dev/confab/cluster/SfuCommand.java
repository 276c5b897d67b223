package dev.confab.cluster;

import dev.confab.sfu.Sfu;
import jakarta.json.Json;
import jakarta.json.JsonReader;

import java.io.Serializable;
import java.io.StringReader;

/**
 * A request for a meeting's SFU room, sent to the node that drives it ({@link GridSfu}) and carried out there on
 * that node's own {@link Sfu}. An ICE candidate travels as its JSON text (JSON-P values are not serializable).
 */
sealed interface SfuCommand extends Serializable {

    void carryOut(Sfu sfu);

    record Publish(String code, String participantId, Sfu.Source source, String session, String sdp) implements SfuCommand {
        @Override
        public void carryOut(Sfu sfu) {
            sfu.publish(code, participantId, source, session, sdp);
        }
    }

    record Unpublish(String code, String participantId, Sfu.Source source) implements SfuCommand {
        @Override
        public void carryOut(Sfu sfu) {
            sfu.unpublish(code, participantId, source);
        }
    }

    record Subscribe(String code, String participantId, String session) implements SfuCommand {
        @Override
        public void carryOut(Sfu sfu) {
            sfu.subscribe(code, participantId, session);
        }
    }

    record Answer(String code, String participantId, String sdp) implements SfuCommand {
        @Override
        public void carryOut(Sfu sfu) {
            sfu.answer(code, participantId, sdp);
        }
    }

    record Candidate(String code, String participantId, Sfu.Direction direction, String candidate) implements SfuCommand {
        @Override
        public void carryOut(Sfu sfu) {
            try (JsonReader reader = Json.createReader(new StringReader(candidate))) {
                sfu.candidate(code, participantId, direction, reader.readObject());
            }
        }
    }

    record Layer(String code, String participantId, String from, int layer) implements SfuCommand {
        @Override
        public void carryOut(Sfu sfu) {
            sfu.preferLayer(code, participantId, from, layer);
        }
    }

    record Leave(String code, String participantId) implements SfuCommand {
        @Override
        public void carryOut(Sfu sfu) {
            sfu.leave(code, participantId);
        }
    }

    record Kick(String code, String participantId) implements SfuCommand {
        @Override
        public void carryOut(Sfu sfu) {
            sfu.kick(code, participantId);
        }
    }

    record Mute(String code, String participantId, boolean muted) implements SfuCommand {
        @Override
        public void carryOut(Sfu sfu) {
            sfu.muteAudio(code, participantId, muted);
        }
    }

    record Close(String code) implements SfuCommand {
        @Override
        public void carryOut(Sfu sfu) {
            sfu.closeRoom(code);
        }
    }
}
