package dev.confab.bench;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.net.URI;
import java.util.function.BiConsumer;

/**
 * A participant of the seed peer ({@link SeedPeer}): Socket.io 4 over its WebSocket transport (Engine.IO 4, no
 * polling first), with the seed's events. Engine.IO packets are one text frame each: {@code 0} open, {@code 2} ping
 * (answered {@code 3}), {@code 4} a Socket.io packet — {@code 40} connected to the default namespace (with the
 * socket's id), {@code 42[name, args…]} an event. The id the seed addresses signals to is that socket id.
 */
final class SeedClient extends BenchClient {

    private final String roomPath;
    private volatile String socketId;

    SeedClient(String roomPath, BiConsumer<BenchClient, JsonObject> onRelayed) {
        super(onRelayed);
        this.roomPath = roomPath;
    }

    @Override
    String participantId() {
        return socketId;
    }

    @Override
    URI socketUri(URI node) {
        return URI.create("ws://127.0.0.1:" + node.getPort() + "/socket.io/?EIO=4&transport=websocket");
    }

    @Override
    void opened() {
        // Engine.IO speaks first (its open packet); the namespace is joined when it has
    }

    @Override
    void signal(String toId, String data) {
        send("42[\"signal\",\"" + toId + "\"," + data + "]");
    }

    @Override
    void chat(String text) {
        send("42[\"chat-message\",\"" + text + "\",\"bench\"]");
    }

    @Override
    void received(String text) {
        switch (text.charAt(0)) {
            case '0' -> send("40");
            case '2' -> send("3");
            case '4' -> socketIo(text);
            case '1' -> error("engine_io_close");
            default -> {
            }
        }
    }

    private void socketIo(String packet) {
        switch (packet.charAt(1)) {
            case '0' -> {
                socketId = parseObject(packet.substring(2)).getString("sid");
                send("42[\"join-call\",\"" + roomPath + "\"]");
            }
            case '2' -> event(parseArray(packet.substring(2)));
            case '4' -> error("connect_error");
            default -> {
            }
        }
    }

    private void event(JsonArray event) {
        switch (event.getString(0)) {
            case "user-joined" -> {
                if (event.getString(1).equals(socketId)) {
                    others.addAndGet(event.getJsonArray(2).size() - 1);
                    welcomedAtNanos.complete(System.nanoTime());
                } else {
                    others.incrementAndGet();
                }
            }
            case "user-left" -> others.decrementAndGet();
            case "signal" -> relayed(BUILD.createObjectBuilder().add("type", "signal").add("from", event.getString(1))
                    .add("data", event.getJsonObject(2)).build());
            case "chat-message" -> relayed(BUILD.createObjectBuilder().add("type", "chat").add("from", event.getString(3))
                    .add("text", event.getString(1)).build());
            default -> {
            }
        }
    }
}
