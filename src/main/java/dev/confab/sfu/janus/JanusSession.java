package dev.confab.sfu.janus;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static dev.confab.sfu.janus.JanusConnection.JSON;

/**
 * A Janus session on one connection, and the VideoRoom handles in it: attach, message (with an optional JSEP),
 * trickle, detach, keep-alive. The calls block until Janus answers (at most the request timeout): they run on
 * the SFU's own per-meeting lanes, never on a socket's or Janus's reader thread.
 */
final class JanusSession {

    static final String VIDEOROOM = "janus.plugin.videoroom";

    private final JanusConnection connection;
    private final Duration timeout;
    private final long id;

    private JanusSession(JanusConnection connection, Duration timeout, long id) {
        this.connection = connection;
        this.timeout = timeout;
        this.id = id;
    }

    static JanusSession create(JanusConnection connection, Duration timeout) {
        JsonObject reply = await(connection.send(JSON.createObjectBuilder().add("janus", "create"), false), timeout);
        return new JanusSession(connection, timeout, JanusConnection.id(reply.getJsonObject("data"), "id"));
    }

    /**
     * Takes over session {@code id} on this connection: made by another Confab node (or an earlier connection) and
     * kept by Janus after its connection went ({@code reclaim_session_timeout}). Its handles, and the media they
     * carry, go on; Janus's events for them now come here. Fails when Janus no longer has it.
     */
    static JanusSession claim(JanusConnection connection, Duration timeout, long id) {
        await(connection.send(JSON.createObjectBuilder().add("janus", "claim").add("session_id", id), false), timeout);
        return new JanusSession(connection, timeout, id);
    }

    long id() {
        return id;
    }

    JanusConnection connection() {
        return connection;
    }

    /** A new VideoRoom handle's id. */
    long attach() {
        JsonObject reply = call(request("attach").add("plugin", VIDEOROOM), false);
        return JanusConnection.id(reply.getJsonObject("data"), "id");
    }

    /** A plugin request on a handle; the reply's plugin data and JSEP are in the returned message. */
    JsonObject message(long handle, JsonObjectBuilder body, JsonObject jsep) {
        JsonObjectBuilder request = request("message").add("handle_id", handle).add("body", body);
        if (jsep != null) {
            request.add("jsep", jsep);
        }
        return call(request, false);
    }

    void trickle(long handle, JsonObject candidate) {
        call(request("trickle").add("handle_id", handle).add("candidate", candidate), true);
    }

    /** Detaches a handle: its PeerConnection is hung up and it leaves its room. */
    void detach(long handle) {
        call(request("detach").add("handle_id", handle), false);
    }

    /** A keep-alive that must be answered within {@code deadline} (shorter than other requests: it tells a hang). */
    void keepalive(Duration deadline) {
        await(connection.send(request("keepalive"), true), deadline);
    }

    /** A keep-alive that nobody waits for (a meeting's session: the node's own session tells a hang). */
    CompletableFuture<JsonObject> touch() {
        return connection.send(request("keepalive"), true);
    }

    void destroy() {
        call(request("destroy"), false);
    }

    private JsonObjectBuilder request(String janus) {
        return JSON.createObjectBuilder().add("janus", janus).add("session_id", id);
    }

    private JsonObject call(JsonObjectBuilder request, boolean ackIsReply) {
        return await(connection.send(request, ackIsReply), timeout);
    }

    private static JsonObject await(CompletableFuture<JsonObject> reply, Duration timeout) {
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JanusException("Interrupted while waiting for the SFU", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof JanusException janus) {
                throw janus;
            }
            if (cause instanceof TimeoutException) {
                throw new JanusException("The SFU did not answer within " + timeout, cause);
            }
            throw new JanusException("The SFU request failed", cause);
        } catch (TimeoutException e) {
            throw new JanusException("The SFU did not answer within " + timeout, e);
        }
    }
}
