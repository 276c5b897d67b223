package dev.confab.signaling;

import dev.confab.chat.ChatMessage;
import dev.confab.ice.IceConfig;
import dev.confab.ice.IceServer;
import dev.confab.meeting.Ban;
import dev.confab.meeting.Meeting;
import dev.confab.sfu.Sfu;
import dev.confab.sfu.SfuStream;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

import java.time.Instant;
import java.util.List;

/** Renders every server → client message (docs/protocol.md) as JSON text. */
final class Outgoing {

    private static final JsonProvider JSON = JsonProvider.provider(); // looked up once: the lookup is costly

    private Outgoing() {
    }

    static String welcome(Participant self, Meeting meeting, long startedAt, List<Seat> others,
                          List<ChatMessage> history, IceConfig ice, boolean resumed, boolean departed, List<Ban> bans,
                          List<Waiter> waiting, MediaMode mode) {
        JsonArrayBuilder participants = JSON.createArrayBuilder();
        others.forEach(seat -> participants.add(participant(seat)));
        JsonArrayBuilder chat = JSON.createArrayBuilder();
        history.forEach(message -> chat.add(chatObject(message)));
        JsonArrayBuilder iceServers = JSON.createArrayBuilder();
        for (IceServer server : ice.servers()) {
            JsonArrayBuilder urls = JSON.createArrayBuilder();
            server.urls().forEach(urls::add);
            JsonObjectBuilder entry = JSON.createObjectBuilder().add("urls", urls);
            if (server.username() != null) {
                entry.add("username", server.username()).add("credential", server.credential());
            }
            iceServers.add(entry);
        }
        JsonObjectBuilder welcome = JSON.createObjectBuilder()
                .add("type", "welcome")
                .add("self", self(self))
                .add("meeting", meetingObject(meeting).add("startedAt", Instant.ofEpochMilli(startedAt).toString()))
                .add("participants", participants)
                .add("chat", chat)
                .add("iceServers", iceServers)
                .add("iceTransportPolicy", ice.transportPolicy())
                .add("resumed", resumed)
                .add("departed", departed)
                .add("mediaMode", mode.wire());
        if (self.moderator()) {
            welcome.add("bans", banArray(bans)).add("waiting", waiterArray(waiting));
        }
        return welcome.build().toString();
    }

    private static JsonObjectBuilder self(Participant self) {
        return JSON.createObjectBuilder().add("id", self.id()).add("name", self.name())
                .add("host", self.host()).add("cohost", self.cohost()).add("guest", self.guest());
    }

    private static JsonObjectBuilder meetingObject(Meeting meeting) {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("code", meeting.code());
        if (meeting.title() != null) {
            json.add("title", meeting.title());
        }
        return json.add("locked", meeting.locked()).add("lobby", meeting.lobbyOn());
    }

    /** To a newcomer the lobby holds: it waits until a host or co-host lets it in; nothing of the meeting yet. */
    static String waiting(Participant self, Meeting meeting) {
        return JSON.createObjectBuilder().add("type", "waiting").add("self", self(self))
                .add("meeting", meetingObject(meeting)).build().toString();
    }

    /** To the hosts and co-hosts: who waits in the lobby now, longest first, after each change. */
    static String knocking(List<Waiter> waiting) {
        return JSON.createObjectBuilder().add("type", "knocking").add("waiting", waiterArray(waiting)).build().toString();
    }

    private static JsonArrayBuilder waiterArray(List<Waiter> waiting) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        waiting.forEach(w -> array.add(JSON.createObjectBuilder().add("id", w.id()).add("name", w.participant().name())
                .add("guest", w.participant().guest()).add("since", Instant.ofEpochMilli(w.since()).toString())));
        return array;
    }

    static String lobby(boolean on, String by) {
        return JSON.createObjectBuilder().add("type", "lobby").add("lobby", on).add("by", by).build().toString();
    }

    static String role(Participant who) {
        return JSON.createObjectBuilder().add("type", "role").add("id", who.id()).add("host", who.host())
                .add("cohost", who.cohost()).build().toString();
    }

    static String reaction(String id, String emoji) {
        return JSON.createObjectBuilder().add("type", "reaction").add("id", id).add("emoji", emoji).build().toString();
    }

    /** The host's list of removed participants, after each change. */
    static String bans(List<Ban> bans) {
        return JSON.createObjectBuilder().add("type", "bans").add("bans", banArray(bans)).build().toString();
    }

    private static JsonArrayBuilder banArray(List<Ban> bans) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        bans.forEach(ban -> array.add(JSON.createObjectBuilder().add("id", ban.participantId())
                .add("name", ban.displayName()).add("guest", ban.guest())
                .add("at", Instant.ofEpochMilli(ban.at()).toString())));
        return array;
    }

    /** Chat refused because the server is past what it can carry: try again after {@code retryAfterMs}. */
    static String busy(String ref, long retryAfterMs, String clientId) {
        JsonObjectBuilder error = JSON.createObjectBuilder().add("type", "error").add("code", "busy")
                .add("message", "The server is busy; this message was not sent, try again shortly")
                .add("ref", ref).add("retryAfterMs", retryAfterMs);
        if (clientId != null) {
            error.add("clientId", clientId);
        }
        return error.build().toString();
    }

    static String participantJoined(Seat seat) {
        return JSON.createObjectBuilder().add("type", "participant-joined").add("participant", participant(seat))
                .build().toString();
    }

    static String participantLeft(String id) {
        return JSON.createObjectBuilder().add("type", "participant-left").add("id", id).build().toString();
    }

    static String signal(String from, JsonObject data) {
        return JSON.createObjectBuilder().add("type", "signal").add("from", from).add("data", data).build().toString();
    }

    static String chat(ChatMessage message) {
        return chatObject(message).toString();
    }

    static String media(String id, MediaState state) {
        return JSON.createObjectBuilder().add("type", "media").add("id", id)
                .add("audio", state.audio()).add("video", state.video()).add("screen", state.screen())
                .build().toString();
    }

    static String hand(String id, boolean raised) {
        return JSON.createObjectBuilder().add("type", "hand").add("id", id).add("raised", raised).build().toString();
    }

    static String muteRequest(String from) {
        return JSON.createObjectBuilder().add("type", "mute-request").add("from", from).build().toString();
    }

    static String locked(boolean locked, String by) {
        return JSON.createObjectBuilder().add("type", "locked").add("locked", locked).add("by", by).build().toString();
    }

    static String meetingEnded() {
        return JSON.createObjectBuilder().add("type", "meeting-ended").build().toString();
    }

    /** The meeting's media moves to the mesh or the SFU; {@code reason} (or null) says why, when not by size. */
    static String mediaMode(MediaMode mode, String reason) {
        JsonObjectBuilder message = JSON.createObjectBuilder().add("type", "media-mode").add("mode", mode.wire());
        if (reason != null) {
            message.add("reason", reason);
        }
        return message.build().toString();
    }

    /** To hosts: something about the meeting's media they should know ({@code code}: e.g. sfu_unavailable). */
    static String mediaWarning(String code, String message) {
        return JSON.createObjectBuilder().add("type", "media-warning").add("code", code).add("message", message)
                .build().toString();
    }

    static String sfuPublished(Sfu.Source source, String sdp) {
        return JSON.createObjectBuilder().add("type", "sfu-published").add("source", source.wire()).add("sdp", sdp)
                .build().toString();
    }

    static String sfuOffer(String sdp, List<SfuStream> streams) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        streams.forEach(s -> array.add(JSON.createObjectBuilder().add("mid", s.mid()).add("participant", s.participantId())
                .add("kind", s.kind()).add("source", s.source().wire())));
        return JSON.createObjectBuilder().add("type", "sfu-offer").add("sdp", sdp).add("streams", array).build().toString();
    }

    /** The SFU's room was made anew (it restarted): publish and subscribe again. */
    static String sfuReset() {
        return JSON.createObjectBuilder().add("type", "sfu-reset").build().toString();
    }

    static String error(String code, String message, String ref) {
        JsonObjectBuilder error = JSON.createObjectBuilder().add("type", "error").add("code", code).add("message", message);
        if (ref == null) {
            error.addNull("ref");
        } else {
            error.add("ref", ref);
        }
        return error.build().toString();
    }

    private static JsonObjectBuilder participant(Seat seat) {
        MediaState state = seat.state();
        return JSON.createObjectBuilder()
                .add("id", seat.id())
                .add("name", seat.participant().name())
                .add("host", seat.participant().host())
                .add("cohost", seat.participant().cohost())
                .add("guest", seat.participant().guest())
                .add("audio", state.audio())
                .add("video", state.video())
                .add("screen", state.screen())
                .add("hand", state.hand());
    }

    private static JsonObject chatObject(ChatMessage message) {
        JsonObjectBuilder chat = JSON.createObjectBuilder()
                .add("type", "chat")
                .add("id", message.id())
                .add("from", message.from())
                .add("name", message.fromName())
                .add("text", message.text())
                .add("at", Instant.ofEpochMilli(message.at()).toString())
                .add("private", message.isPrivate());
        if (message.isPrivate()) {
            chat.add("to", message.to());
        }
        if (message.clientId() != null) {
            chat.add("clientId", message.clientId());
        }
        return chat.build();
    }
}
