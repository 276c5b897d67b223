package dev.confab.bench;

import jakarta.json.JsonObject;

import java.net.URI;
import java.util.function.BiConsumer;

/** A participant speaking Confab's protocol (docs/protocol.md) with the participant token REST gave it. */
final class ConfabClient extends BenchClient {

    final String meetingCode;
    private final String participantId;
    private final String token;

    ConfabClient(String meetingCode, String participantId, String token, BiConsumer<BenchClient, JsonObject> onRelayed) {
        super(onRelayed);
        this.meetingCode = meetingCode;
        this.participantId = participantId;
        this.token = token;
    }

    @Override
    String participantId() {
        return participantId;
    }

    @Override
    URI socketUri(URI node) {
        return URI.create("ws://127.0.0.1:" + node.getPort() + "/ws/meetings/" + meetingCode);
    }

    @Override
    void opened() {
        send("{\"type\":\"join\",\"token\":\"" + token + "\"}");
    }

    @Override
    void signal(String toId, String data) {
        send("{\"type\":\"signal\",\"to\":\"" + toId + "\",\"data\":" + data + "}");
    }

    @Override
    void chat(String text) {
        send("{\"type\":\"chat\",\"text\":\"" + text + "\"}");
    }

    @Override
    void received(String text) {
        JsonObject message = parseObject(text);
        switch (message.getString("type")) {
            case "signal", "chat" -> relayed(message);
            case "welcome" -> {
                others.addAndGet(message.getJsonArray("participants").size());
                welcomedAtNanos.complete(System.nanoTime());
            }
            case "participant-joined" -> others.incrementAndGet();
            case "participant-left" -> others.decrementAndGet();
            case "error" -> error(message.getString("code"));
            default -> {
            }
        }
    }
}
