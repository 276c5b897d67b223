package dev.confab.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A WebSocket client of Confab's signalling endpoint as any third party would write one (JDK's
 * {@link WebSocket}, which answers pings by itself). Keeps every message it receives, in order.
 */
public final class WsClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(15);

    private final List<JsonObject> received = new ArrayList<>(); // guarded by this
    private final BitSet taken = new BitSet();                   // guarded by this
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket socket;

    private WsClient(URI uri, Map<String, String> headers) {
        try {
            socket = builder(headers).buildAsync(uri, new Listener()).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not open " + uri, e);
        }
    }

    private static WebSocket.Builder builder(Map<String, String> headers) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        return builder;
    }

    /** Opens a socket with extra handshake headers (e.g. {@code Origin}, {@code X-Forwarded-For}). */
    public static WsClient open(URI uri, Map<String, String> headers) {
        return new WsClient(uri, headers);
    }

    /**
     * The HTTP status the server answered a handshake with: 101 when it upgraded (the socket is closed again at
     * once), else the refusal's status and body.
     */
    public static Refusal handshake(URI uri, Map<String, String> headers) {
        try {
            WebSocket ws = builder(headers).buildAsync(uri, new WebSocket.Listener() { }).get(15, TimeUnit.SECONDS);
            ws.abort();
            return new Refusal(101, "");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                Object body = refused.getResponse().body();
                return new Refusal(refused.getResponse().statusCode(), body == null ? "" : body.toString());
            }
            throw new IllegalStateException("Handshake with " + uri + " failed", e);
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("Handshake with " + uri + " failed", e);
        }
    }

    /** A handshake's answer: {@code status} 101 means accepted. */
    public record Refusal(int status, String body) {
    }

    /** Opens {@code ws://host:port/ws/meetings/{code}} relative to the app's HTTP base. */
    public static WsClient open(URI httpBase, String code) {
        return new WsClient(URI.create("ws://" + httpBase.getHost() + ":" + httpBase.getPort() + "/ws/meetings/" + code), Map.of());
    }

    public static WsClient open(URI uri) {
        return new WsClient(uri, Map.of());
    }

    public WsClient send(String text) {
        socket.sendText(text, true).orTimeout(15, TimeUnit.SECONDS).join();
        return this;
    }

    public WsClient sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(15, TimeUnit.SECONDS).join();
        return this;
    }

    public WsClient send(Map<String, ?> fields) {
        return send(Api.json(fields));
    }

    /** Sends join and returns the welcome. */
    public JsonObject join(String token) {
        send(Map.of("type", "join", "token", token));
        return await("welcome");
    }

    /** The first not yet awaited message of this type; fails after {@link #WAIT}. */
    public JsonObject await(String type) {
        return await(m -> type.equals(m.getString("type", null)), "a '" + type + "' message");
    }

    public synchronized JsonObject await(Predicate<JsonObject> match, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            for (int i = 0; i < received.size(); i++) {
                if (!taken.get(i) && match.test(received.get(i))) {
                    taken.set(i);
                    return received.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("No " + what + " within " + WAIT + "; received " + received);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The error reply to a refused message of type {@code ref} (null: the message could not be read). */
    public JsonObject awaitError(String code) {
        return await(m -> "error".equals(m.getString("type", null)) && code.equals(m.getString("code", null)),
                "an error '" + code + "'");
    }

    /** Everything received so far of this type. */
    public synchronized List<JsonObject> all(String type) {
        return received.stream().filter(m -> type.equals(m.getString("type", null))).toList();
    }

    public synchronized List<JsonObject> all() {
        return List.copyOf(received);
    }

    /** The close code the server sent; fails if the socket is not closed within {@link #WAIT}. */
    public int awaitClose() {
        try {
            return closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("Socket not closed within " + WAIT + "; received " + all(), e);
        }
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** Drops the TCP connection without a close handshake. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
        }
        socket.abort();
    }

    private synchronized void add(JsonObject message) {
        received.add(message);
        notifyAll();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                add(Json.createReader(new StringReader(partial.toString())).readObject());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1); // the JDK client sends the pong itself
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(-1);
        }
    }
}
