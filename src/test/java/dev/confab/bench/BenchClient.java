package dev.confab.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One simulated participant: a WebSocket that joins, counts what it gets and sends in order. {@code signal} and
 * {@code chat} messages go to the scenario's listener, which takes the latency from the send time inside them.
 */
final class BenchClient implements WebSocket.Listener {

    final String meetingCode;
    final String participantId;
    final String token;
    final AtomicInteger others = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    final java.util.Map<String, Integer> errorCodes = new java.util.concurrent.ConcurrentHashMap<>();
    final CompletableFuture<Long> welcomedAtNanos = new CompletableFuture<>();
    volatile Integer closeCode;
    private final Consumer<JsonObject> onRelayed;
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private CompletableFuture<WebSocket> sending;
    long openedAtNanos;

    BenchClient(String meetingCode, String participantId, String token, Consumer<JsonObject> onRelayed) {
        this.meetingCode = meetingCode;
        this.participantId = participantId;
        this.token = token;
        this.onRelayed = onRelayed;
    }

    /**
     * Opens the socket as a client of its own address (in {@code X-Forwarded-For}, which the benchmark's server
     * trusts from loopback): a thousand people are a thousand addresses, not one that the per-address caps of
     * unjoined sockets would throttle.
     */
    CompletableFuture<WebSocket> open(HttpClient http, URI uri, String clientAddress) {
        return http.newWebSocketBuilder().header("X-Forwarded-For", clientAddress).buildAsync(uri, this).thenApply(ws -> {
            socket = ws;
            sending = CompletableFuture.completedFuture(ws);
            return ws;
        });
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        openedAtNanos = System.nanoTime();
        webSocket.sendText("{\"type\":\"join\",\"token\":\"" + token + "\"}", true);
        webSocket.request(1);
    }

    /** Sends after the previous send of this socket completed (the JDK client allows one at a time). */
    synchronized void send(String text) {
        sending = sending.thenCompose(ws -> ws.sendText(text, true)).exceptionally(e -> {
            errors.incrementAndGet();
            errorCodes.merge("client_send_failed", 1, Integer::sum);
            return socket;
        });
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            JsonObject message = Json.createReader(new StringReader(text)).readObject();
            switch (message.getString("type")) {
                case "signal", "chat" -> onRelayed.accept(message);
                case "welcome" -> {
                    others.addAndGet(message.getJsonArray("participants").size());
                    welcomedAtNanos.complete(System.nanoTime());
                }
                case "participant-joined" -> others.incrementAndGet();
                case "participant-left" -> others.decrementAndGet();
                case "error" -> {
                    errors.incrementAndGet();
                    errorCodes.merge(message.getString("code"), 1, Integer::sum);
                }
                default -> {
                }
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode = statusCode;
        welcomedAtNanos.completeExceptionally(new IllegalStateException("closed before welcome: " + statusCode + " " + reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        errors.incrementAndGet();
        closeCode = -1;
        welcomedAtNanos.completeExceptionally(error);
    }

    void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
