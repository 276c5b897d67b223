package dev.confab.it.support;

import jakarta.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a test does as the people of a meeting would: create it, join over REST, open and join its socket. Keeps
 * every socket it opened, to close them after the test.
 */
public final class MeetingClient implements AutoCloseable {

    /** A participant with an open, joined socket and the welcome it got. */
    public record Member(String id, String token, WsClient socket, JsonObject welcome) {
    }

    private final Api api;
    private final URI http;
    private final List<WsClient> sockets = new ArrayList<>();

    public MeetingClient(URI http) {
        this.http = http;
        this.api = new Api(http);
    }

    public Api api() {
        return api;
    }

    public URI http() {
        return http;
    }

    public String newMeeting(String sessionToken) {
        return api.post("api/v1/meetings", Api.json(Map.of("title", "test")), sessionToken).expect(201)
                .object().getString("code");
    }

    /** {@code POST /meetings/{code}/participants} as a guest named {@code name}, or signed in (name null). */
    public JsonObject joinRest(String code, String name, String sessionToken) {
        return api.post("api/v1/meetings/" + code + "/participants",
                name == null ? "{}" : Api.json(Map.of("displayName", name)), sessionToken).expect(201).object();
    }

    public WsClient open(String code) {
        return track(WsClient.open(http, code));
    }

    /** Closes this socket, opened elsewhere (another URI, extra headers), with the others after the test. */
    public WsClient track(WsClient socket) {
        sockets.add(socket);
        return socket;
    }

    /** A socket of {@code code} joined with the token of a REST join reply. */
    public Member connect(String code, JsonObject joined) {
        WsClient socket = open(code);
        JsonObject welcome = socket.join(joined.getString("token"));
        if (!joined.getString("participantId").equals(welcome.getJsonObject("self").getString("id"))) {
            throw new AssertionError("welcomed as someone else: " + welcome);
        }
        return new Member(joined.getString("participantId"), joined.getString("token"), socket, welcome);
    }

    public Member enter(String code, String name) {
        return connect(code, joinRest(code, name, null));
    }

    public Member enterAsHost(String code, String sessionToken) {
        return connect(code, joinRest(code, null, sessionToken));
    }

    @Override
    public void close() {
        sockets.forEach(WsClient::close);
    }
}
