package dev.confab.signaling;

import dev.confab.common.ApiException;
import dev.confab.web.JsonInput;
import dev.confab.sfu.Sfu;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Every client → server message after parsing (docs/protocol.md); each reads its fields strictly. */
final class ClientMessages {

    private ClientMessages() {
    }

    record Join(String token) {
        static Join from(JsonInput in) {
            // a missing or non-string token is a bad token: the caller closes with 4401
            try {
                return new Join(in.optionalString("token").orElse(null));
            } catch (ApiException e) {
                return new Join(null);
            }
        }
    }

    record Signal(String to, JsonObject data) {
        static Signal from(JsonInput in) {
            return new Signal(in.requiredString("to"), in.requiredObject("data"));
        }
    }

    record Chat(String text, String to, String clientId) {
        /** The client's own id for a message: letters, digits, '-' and '_', at most 64. */
        static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

        static Chat from(JsonInput in) {
            String clientId = in.optionalString("clientId").orElse(null);
            if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
                throw ApiException.badRequest("invalid_field", "clientId must be 1 to 64 letters, digits, '-' or '_'");
            }
            return new Chat(in.requiredString("text"), in.optionalString("to").orElse(null), clientId);
        }
    }

    record Media(boolean audio, boolean video, boolean screen) {
        static Media from(JsonInput in) {
            return new Media(in.requiredBoolean("audio"), in.requiredBoolean("video"), in.requiredBoolean("screen"));
        }
    }

    record Hand(boolean raised) {
        static Hand from(JsonInput in) {
            return new Hand(in.requiredBoolean("raised"));
        }
    }

    record Leave() {
        static Leave from(JsonInput in) {
            return new Leave();
        }
    }

    record Host(String action, String target) {
        static final List<String> ACTIONS = List.of("mute", "remove", "unban", "lock", "unlock", "end",
                "lobby-on", "lobby-off", "admit", "admit-all", "deny", "cohost", "uncohost");
        static final Set<String> TARGETED = Set.of("mute", "remove", "unban", "admit", "deny", "cohost", "uncohost");
        /** What only the host may do; a co-host may do the rest. */
        static final Set<String> HOST_ONLY = Set.of("end", "cohost", "uncohost");

        static Host from(JsonInput in) {
            String action = in.requiredString("action");
            if (!ACTIONS.contains(action)) {
                throw ApiException.badRequest("invalid_field", "action must be one of " + String.join(", ", ACTIONS));
            }
            String target = TARGETED.contains(action) ? in.requiredString("target") : null;
            return new Host(action, target);
        }
    }

    /** An emoji that floats over the sender's tile for everyone. */
    record Reaction(String emoji) {
        /** The few everyone's client can show: thumbs up, clap, laugh, heart, party, surprise. */
        static final List<String> EMOJI = List.of("\uD83D\uDC4D", "\uD83D\uDC4F", "\uD83D\uDE02", "\u2764\uFE0F",
                "\uD83C\uDF89", "\uD83D\uDE2E");

        static Reaction from(JsonInput in) {
            String emoji = in.requiredString("emoji");
            if (!EMOJI.contains(emoji)) {
                throw ApiException.badRequest("invalid_field", "emoji must be one of " + String.join(" ", EMOJI));
            }
            return new Reaction(emoji);
        }
    }

    /** A browser's id for one of its connections with the SFU: letters, digits, '-' and '_', at most 64. */
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** An SDP description as browsers write it: text that starts with its version line. */
    private static String sdpOf(JsonInput in) {
        String sdp = in.requiredString("sdp");
        if (!sdp.startsWith("v=0")) {
            throw ApiException.badRequest("invalid_field", "sdp must be an SDP description");
        }
        return sdp;
    }

    private static String sessionOf(JsonInput in) {
        String session = in.requiredString("session");
        if (!SESSION.matcher(session).matches()) {
            throw ApiException.badRequest("invalid_field", "session must be 1 to 64 letters, digits, '-' or '_'");
        }
        return session;
    }

    private static Sfu.Source sourceOf(JsonInput in) {
        return switch (in.optionalString("source").orElse("camera")) {
            case "camera" -> Sfu.Source.CAMERA;
            case "screen" -> Sfu.Source.SCREEN;
            default -> throw ApiException.badRequest("invalid_field", "source must be camera or screen");
        };
    }

    record SfuPublish(Sfu.Source source, String session, String sdp) {
        static SfuPublish from(JsonInput in) {
            return new SfuPublish(sourceOf(in), sessionOf(in), sdpOf(in));
        }
    }

    record SfuUnpublish(Sfu.Source source) {
        static SfuUnpublish from(JsonInput in) {
            return new SfuUnpublish(sourceOf(in));
        }
    }

    record SfuSubscribe(String session) {
        static SfuSubscribe from(JsonInput in) {
            return new SfuSubscribe(sessionOf(in));
        }
    }

    record SfuAnswer(String sdp) {
        static SfuAnswer from(JsonInput in) {
            return new SfuAnswer(sdpOf(in));
        }
    }

    record SfuCandidate(Sfu.Direction direction, JsonObject candidate) {
        static SfuCandidate from(JsonInput in) {
            Sfu.Direction direction = switch (in.requiredString("direction")) {
                case "publish" -> Sfu.Direction.PUBLISH;
                case "screen" -> Sfu.Direction.SCREEN;
                case "subscribe" -> Sfu.Direction.SUBSCRIBE;
                default -> throw ApiException.badRequest("invalid_field", "direction must be publish, screen or subscribe");
            };
            JsonObject candidate = in.requiredObject("candidate");
            if (!(candidate.get("candidate") instanceof JsonString)) {
                throw ApiException.badRequest("invalid_field", "candidate must hold a candidate string");
            }
            return new SfuCandidate(direction, candidate);
        }
    }

    record SfuLayer(String from, int layer) {
        static SfuLayer from(JsonInput in) {
            String layer = in.requiredString("layer");
            int index = switch (layer) {
                case "off" -> -1;
                case "low" -> 0;
                case "medium" -> 1;
                case "high" -> 2;
                default -> throw ApiException.badRequest("invalid_field", "layer must be off, low, medium or high");
            };
            return new SfuLayer(in.requiredString("from"), index);
        }
    }
}
