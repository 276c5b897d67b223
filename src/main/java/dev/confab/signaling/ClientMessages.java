package dev.confab.signaling;

import dev.confab.common.ApiException;
import dev.confab.web.JsonInput;
import jakarta.json.JsonObject;

import java.util.Set;

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

    record Chat(String text, String to) {
        static Chat from(JsonInput in) {
            return new Chat(in.requiredString("text"), in.optionalString("to").orElse(null));
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
        static final Set<String> ACTIONS = Set.of("mute", "remove", "lock", "unlock", "end");
        static final Set<String> TARGETED = Set.of("mute", "remove");

        static Host from(JsonInput in) {
            String action = in.requiredString("action");
            if (!ACTIONS.contains(action)) {
                throw ApiException.badRequest("invalid_field", "action must be one of mute, remove, lock, unlock, end");
            }
            String target = TARGETED.contains(action) ? in.requiredString("target") : null;
            return new Host(action, target);
        }
    }
}
