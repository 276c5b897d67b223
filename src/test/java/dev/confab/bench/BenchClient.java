package dev.confab.bench;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One simulated participant: a WebSocket that joins its meeting, counts who else is there and sends in order.
 * Relayed signals and chats reach the scenario's listener in one shape whatever the server speaks
 * ({@code {"type":"signal","from":…,"data":{…}}}, {@code {"type":"chat","from":…,"text":…}}), so that Confab and
 * the seed peer are measured by the same code; each protocol is a subclass ({@link ConfabClient}, {@link SeedClient}).
 */
abstract class BenchClient implements WebSocket.Listener {

    /**
     * One factory for every message: {@code Json.createReader} looks the JSON provider up again on each call, which
     * made parsing the generator's largest cost (the same for both servers, but it capped what could be offered).
     */
    private static final JsonReaderFactory JSON = Json.createReaderFactory(Map.of());
    /** Likewise for the messages a subclass rebuilds in the common shape ({@code Json.createObjectBuilder} looks up too). */
    static final JsonBuilderFactory BUILD = Json.createBuilderFactory(Map.of());

    final AtomicInteger others = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();
    final Map<String, Integer> errorCodes = new ConcurrentHashMap<>();
    /** When the server said this participant is in the meeting. */
    final CompletableFuture<Long> welcomedAtNanos = new CompletableFuture<>();
    volatile Integer closeCode;
    volatile long openedAtNanos;
    private final BiConsumer<BenchClient, JsonObject> onRelayed;
    private final StringBuilder partial = new StringBuilder();
    private volatile WebSocket socket;
    private CompletableFuture<WebSocket> sending;

    BenchClient(BiConsumer<BenchClient, JsonObject> onRelayed) {
        this.onRelayed = onRelayed;
    }

    /** This participant's id as the others address it (known once joined, for the seed). */
    abstract String participantId();

    /** Where this participant's socket goes on a server whose HTTP base is {@code node}. */
    abstract URI socketUri(URI node);

    /** A signal to {@code toId} carrying {@code data}, a JSON object. */
    abstract void signal(String toId, String data);

    /** A chat to the whole meeting. */
    abstract void chat(String text);

    /** The socket is open: what the protocol sends first. */
    abstract void opened();

    /** One whole text message from the server. */
    abstract void received(String text);

    /**
     * Opens the socket as a client of its own address (in {@code X-Forwarded-For}, which the benchmark's server
     * trusts from loopback): a thousand people are a thousand addresses, not one that the per-address caps of
     * unjoined sockets would throttle.
     */
    CompletableFuture<WebSocket> open(HttpClient http, URI node, String clientAddress) {
        return http.newWebSocketBuilder().header("X-Forwarded-For", clientAddress)
                .buildAsync(socketUri(node), this).thenApply(ws -> ws);
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        synchronized (this) {
            socket = webSocket;
            sending = CompletableFuture.completedFuture(webSocket);
        }
        openedAtNanos = System.nanoTime();
        opened();
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

    static JsonObject parseObject(String text) {
        try (var reader = JSON.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    static JsonArray parseArray(String text) {
        try (var reader = JSON.createReader(new StringReader(text))) {
            return reader.readArray();
        }
    }

    /** Hands a relayed signal or chat, in the common shape, to the scenario. */
    void relayed(JsonObject message) {
        onRelayed.accept(this, message);
    }

    void error(String code) {
        errors.incrementAndGet();
        errorCodes.merge(code, 1, Integer::sum);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            received(text);
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
        WebSocket open = socket;
        if (open != null) {
            open.abort();
        }
    }
}
