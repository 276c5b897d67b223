package dev.confab.sfu.janus;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket to Janus's API (subprotocol {@code janus-protocol}): sends requests with the {@code apisecret},
 * matches replies to them by transaction, and hands everything else (events of handles and sessions) to
 * {@code onEvent}. Requests fail after their deadline, and all at once when the socket closes.
 *
 * <p>A request's reply is Janus's {@code success}, or the plugin's {@code event} after an {@code ack}; for
 * {@code trickle} and {@code keepalive} the {@code ack} itself.
 */
final class JanusConnection implements WebSocket.Listener {

    private static final Logger LOG = Logger.getLogger(JanusConnection.class.getName());
    static final JsonProvider JSON = JsonProvider.provider();

    private record Pending(CompletableFuture<JsonObject> reply, boolean ackIsReply) {
    }

    private final String apiSecret;
    private final Duration timeout;
    private final Executor executor;
    private final Consumer<JsonObject> onEvent;
    private final Runnable onClosed;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong transactions = new AtomicLong();
    private final StringBuilder partial = new StringBuilder(); // the reader's own: one onText at a time
    private volatile WebSocket socket;
    private volatile boolean closed;

    private JanusConnection(String apiSecret, Duration timeout, Executor executor, Consumer<JsonObject> onEvent,
                            Runnable onClosed) {
        this.apiSecret = apiSecret;
        this.timeout = timeout;
        this.executor = executor;
        this.onEvent = onEvent;
        this.onClosed = onClosed;
    }

    /**
     * Connects to {@code url}. {@code onEvent} and {@code onClosed} run on {@code executor}, never on the reader.
     */
    static JanusConnection open(URI url, String apiSecret, Duration timeout, Executor executor,
                                Consumer<JsonObject> onEvent, Runnable onClosed) {
        JanusConnection connection = new JanusConnection(apiSecret, timeout, executor, onEvent, onClosed);
        HttpClient http = HttpClient.newBuilder().executor(executor).connectTimeout(timeout).build();
        try {
            connection.socket = http.newWebSocketBuilder().subprotocols("janus-protocol").connectTimeout(timeout)
                    .buildAsync(url, connection).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JanusException("Interrupted while connecting to the SFU", e);
        } catch (Exception e) {
            throw new JanusException("Cannot connect to the SFU at " + url, e);
        }
        return connection;
    }

    /** Sends {@code request} (a transaction and the API secret are added); its reply, or a failure. */
    CompletableFuture<JsonObject> send(JsonObjectBuilder request, boolean ackIsReply) {
        String transaction = Long.toString(transactions.incrementAndGet());
        JsonObject message = request.add("transaction", transaction).add("apisecret", apiSecret).build();
        CompletableFuture<JsonObject> reply = new CompletableFuture<JsonObject>()
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (closed) {
            reply.completeExceptionally(new JanusException("The connection to the SFU is closed"));
            return reply;
        }
        pending.put(transaction, new Pending(reply, ackIsReply));
        reply.whenComplete((r, e) -> pending.remove(transaction));
        synchronized (this) { // one text frame at a time: WebSocket.sendText allows no overlap
            try {
                socket.sendText(message.toString(), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply.completeExceptionally(new JanusException("Interrupted while sending to the SFU", e));
            } catch (Exception e) {
                reply.completeExceptionally(new JanusException("Cannot send to the SFU", e));
            }
        }
        return reply;
    }

    boolean isOpen() {
        return !closed;
    }

    void close() {
        WebSocket ws = socket;
        if (ws != null && !closed) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            ws.abort();
        }
        closedNow("closed by Confab");
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                dispatch(text);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Unreadable message from the SFU ignored", e);
            }
        }
        webSocket.request(1);
        return null;
    }

    private void dispatch(String text) {
        JsonObject message;
        try (JsonReader reader = JSON.createReader(new StringReader(text))) {
            message = reader.readObject();
        }
        String janus = message.getString("janus", "");
        Pending waiting = message.containsKey("transaction") ? pending.get(message.getString("transaction")) : null;
        if (waiting != null) {
            switch (janus) {
                case "ack" -> {
                    if (waiting.ackIsReply()) {
                        waiting.reply().complete(message);
                    }
                    return;
                }
                case "error" -> {
                    JsonObject error = message.getJsonObject("error");
                    waiting.reply().completeExceptionally(new JanusException("Janus error " + error.getInt("code", 0)
                            + ": " + error.getString("reason", "")));
                    return;
                }
                case "success", "event" -> {
                    String pluginError = pluginError(message);
                    if (pluginError != null) {
                        waiting.reply().completeExceptionally(new JanusException(pluginError));
                    } else {
                        waiting.reply().complete(message);
                    }
                    return;
                }
                default -> {
                    // not a reply: an event that happens to carry the transaction; handled below
                }
            }
        }
        executor.execute(() -> onEvent.accept(message));
    }

    /** The VideoRoom's own refusal inside a reply, as "error_code reason", or null. */
    private static String pluginError(JsonObject message) {
        JsonObject data = pluginData(message);
        if (data != null && data.containsKey("error_code")) {
            return "VideoRoom error " + data.getInt("error_code") + ": " + data.getString("error", "");
        }
        return null;
    }

    static JsonObject pluginData(JsonObject message) {
        JsonObject plugin = message.getJsonObject("plugindata");
        return plugin == null ? null : plugin.getJsonObject("data");
    }

    static long id(JsonObject object, String key) {
        JsonValue value = object.get(key);
        if (value instanceof JsonNumber number) {
            return number.longValueExact();
        }
        throw new JanusException("Janus's reply has no number " + key + ": " + object);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closedNow("closed by the SFU (" + statusCode + ")");
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        LOG.log(Level.WARNING, "The connection to the SFU failed", error);
        closedNow("failed: " + error);
    }

    private void closedNow(String why) {
        if (closed) {
            return;
        }
        closed = true;
        JanusException gone = new JanusException("The connection to the SFU " + why);
        pending.values().forEach(p -> p.reply().completeExceptionally(gone));
        executor.execute(onClosed);
    }
}
