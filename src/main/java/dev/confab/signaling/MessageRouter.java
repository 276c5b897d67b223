package dev.confab.signaling;

import dev.confab.common.ApiException;
import dev.confab.web.JsonInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The one place that maps a client message's {@code type} to its parser and handler, and turns every refusal
 * into an {@code error} reply (or a close) for the sender only.
 */
@ApplicationScoped
public class MessageRouter {

    private static final JsonProvider JSON = JsonProvider.provider();

    private record Route<M>(Function<JsonInput, M> parser, BiConsumer<Connection, M> handler, boolean needsJoin) {
        void run(Connection connection, JsonInput in) {
            handler.accept(connection, parser.apply(in));
        }
    }

    private final Map<String, Route<?>> routes;
    private final SignalingService service;

    protected MessageRouter() {
        this.routes = Map.of();
        this.service = null;
    }

    @Inject
    public MessageRouter(SignalingService service, HostActions hostActions, MediaModes media) {
        this.service = service;
        this.routes = Map.ofEntries(
                Map.entry("sfu-publish", new Route<>(ClientMessages.SfuPublish::from, media::publish, true)),
                Map.entry("sfu-unpublish", new Route<>(ClientMessages.SfuUnpublish::from, media::unpublish, true)),
                Map.entry("sfu-subscribe", new Route<>(ClientMessages.SfuSubscribe::from, media::subscribe, true)),
                Map.entry("sfu-answer", new Route<>(ClientMessages.SfuAnswer::from, media::answer, true)),
                Map.entry("sfu-candidate", new Route<>(ClientMessages.SfuCandidate::from, media::candidate, true)),
                Map.entry("sfu-layer", new Route<>(ClientMessages.SfuLayer::from, media::layer, true)),
                Map.entry("join", new Route<>(ClientMessages.Join::from, service::join, false)),
                Map.entry("signal", new Route<>(ClientMessages.Signal::from, service::signal, true)),
                Map.entry("chat", new Route<>(ClientMessages.Chat::from, service::chat, true)),
                Map.entry("media", new Route<>(ClientMessages.Media::from, service::media, true)),
                Map.entry("hand", new Route<>(ClientMessages.Hand::from, service::hand, true)),
                Map.entry("leave", new Route<>(ClientMessages.Leave::from, service::leave, true)),
                Map.entry("reaction", new Route<>(ClientMessages.Reaction::from, service::reaction, true)),
                Map.entry("host", new Route<>(ClientMessages.Host::from, hostActions::host, true)));
    }

    void receive(Connection connection, String text) {
        if (connection.isClosing()) {
            return;
        }
        switch (connection.admitMessage(System.nanoTime())) {
            case REFUSE -> {
                connection.send(Outgoing.error("rate_limited", "Too many messages; this one was dropped", null));
                return;
            }
            case DISCONNECT -> {
                connection.close(CloseCodes.RATE_LIMITED, "Too many messages");
                return;
            }
            case ACCEPT -> {
                // go on
            }
        }
        JsonValue parsed;
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            parsed = reader.readValue();
        } catch (RuntimeException e) { // JsonException, and Parsson's plain RuntimeException past 1000 levels of nesting
            connection.send(Outgoing.error("invalid_json", "The message is not valid JSON (or nested too deeply)", null));
            return;
        }
        if (!(parsed instanceof JsonObject message) || !(message.get("type") instanceof JsonString typeValue)) {
            connection.send(Outgoing.error("invalid_message", "A message is a JSON object with a string type", null));
            return;
        }
        try {
            // before anything echoes a part of it (even the type, in an error's ref) or relays or stores it
            JsonInput.requireWellFormed(message);
        } catch (ApiException refusal) {
            connection.send(Outgoing.error(refusal.code(), refusal.getMessage(), null));
            return;
        }
        String type = typeValue.getString();
        Route<?> route = routes.get(type);
        if (route == null) {
            connection.send(Outgoing.error("unknown_type", "No message has this type", type));
            return;
        }
        if (route.needsJoin() && connection.participant() == null) {
            if (connection.knocking() == null) {
                connection.send(Outgoing.error("not_joined", "Send join first", type));
            } else if (type.equals("leave")) {
                service.withdraw(connection);
            } else {
                connection.send(Outgoing.error("in_lobby", "You are in the lobby until a host lets you in", type));
            }
            return;
        }
        SignalingService.guarded(connection, type, () -> route.run(connection, JsonInput.of(message)));
    }
}
