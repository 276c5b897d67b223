package dev.confab.it;

import dev.confab.it.support.Api;
import dev.confab.it.support.Api.Reply;
import dev.confab.it.support.ConfabWar;
import dev.confab.it.support.MeetingClient;
import dev.confab.it.support.MeetingClient.Member;
import dev.confab.it.support.Servers;
import dev.confab.it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Confab as an attacker (and a careless client) would try it: the exact probes that once cut people off or let
 * them back in, and a suite of well over a hundred bad inputs across every REST endpoint and every WebSocket
 * message type, each followed by a check that the server answered clearly and still serves the bystanders.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("core") // also run on WildFly (pom.xml)
class HostileInputIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConfabWar.asRoot();
    }

    @ArquillianResource
    URL base;

    Api api;
    URI http;
    MeetingClient calls;

    @BeforeEach
    void client() {
        http = ConfabWar.loopback(base);
        calls = new MeetingClient(http);
        api = calls.api();
    }

    @AfterEach
    void closeSockets() {
        calls.close();
    }

    // ---------- probe 1: one message must not cut anyone off ----------

    @Test
    void loneSurrogatesAreRefusedAndNobodyIsCutOff() throws Exception {
        String session = api.newUser("Host").getString("token");
        String code = calls.newMeeting(session);
        Member host = calls.connect(code, calls.joinRest(code, null, session));
        Member victim = calls.connect(code, calls.joinRest(code, "Victim", null));
        Member attacker = calls.connect(code, calls.joinRest(code, "Mallory", null));

        attacker.socket().send("{\"type\":\"signal\",\"to\":\"" + victim.id() + "\",\"data\":{\"x\":\"\\udc00\"}}");
        assertEquals("invalid_text", attacker.socket().awaitError("invalid_text").getString("code"));
        attacker.socket().send("{\"type\":\"chat\",\"text\":\"hi \\ud800 there\"}");
        attacker.socket().awaitError("invalid_text");
        attacker.socket().send("{\"type\":\"signal\",\"to\":\"" + victim.id() + "\",\"data\":{\"\\udfff\":1}}");
        attacker.socket().awaitError("invalid_text");

        // the victim and everyone else still get everything, for longer than the heartbeat would allow a wedge
        Servers.sleep(4500);
        host.socket().send(Map.of("type", "signal", "to", victim.id(), "data", Json.createObjectBuilder().add("n", 1).build()));
        assertEquals(host.id(), victim.socket().await("signal").getString("from"));
        host.socket().send(Map.of("type", "chat", "text", "still here? \uD83D\uDE00"));
        for (Member m : List.of(host, victim, attacker)) {
            assertEquals("still here? \uD83D\uDE00", m.socket().await("chat").getString("text"), "a real emoji is fine");
            assertFalse(m.socket().isClosed());
        }
        assertTrue(victim.socket().all("error").isEmpty());

        // before joining: the type itself a lone surrogate; the socket stays usable
        WsClient early = calls.open(code);
        early.send("{\"type\":\"\\udc00\"}");
        assertEquals(JsonObject.NULL, early.awaitError("invalid_text").get("ref"), "the bad type is not echoed");
        early.join(calls.joinRest(code, "Late", null).getString("token"));
        victim.socket().await(m -> m.getString("type").equals("participant-joined")
                && m.getJsonObject("participant").getString("name").equals("Late"), "the late joiner");

        // REST too: a lone surrogate in a name is refused, not stored
        assertEquals("invalid_text", api.post("api/v1/meetings/" + code + "/participants",
                "{\"displayName\":\"Ann\\ud800\"}", null).expect(400).error());
    }

    // ---------- probe 3: cross-site sockets ----------

    @Test
    void aHandshakeFromAnotherSitesPageIsRefused() {
        String code = calls.newMeeting(api.newUser("Host").getString("token"));
        URI ws = URI.create("ws://127.0.0.1:" + http.getPort() + "/ws/meetings/" + code);
        WsClient.Refusal evil = WsClient.handshake(ws, Map.of("Origin", "https://evil.example"));
        assertEquals(403, evil.status());
        assertTrue(evil.body().contains("origin_denied"), evil.body());
        assertEquals(403, WsClient.handshake(ws, Map.of("Origin", "null")).status());
        assertEquals(403, WsClient.handshake(ws, Map.of("Origin", "http://127.0.0.1:" + (http.getPort() + 1))).status(),
                "same host, another port: another origin");
        assertEquals(101, WsClient.handshake(ws, Map.of("Origin", "http://127.0.0.1:" + http.getPort())).status(),
                "Confab's own pages");
        assertEquals(101, WsClient.handshake(ws, Map.of("Origin", "http://allowed.example")).status(),
                "an origin on confab.cors.allowed-origins");
        assertEquals(101, WsClient.handshake(ws, Map.of()).status(), "no Origin: not a browser, the token decides");
    }

    // ---------- probe 4: removal is a ban ----------

    @Test
    void aRemovedUserOrGuestCannotComeBackUntilTheHostLiftsTheBan() {
        String hostSession = api.newUser("Host").getString("token");
        String code = calls.newMeeting(hostSession);
        Member host = calls.connect(code, calls.joinRest(code, null, hostSession));
        String userSession = api.newUser("Uma").getString("token");
        Member user = calls.connect(code, calls.joinRest(code, null, userSession));
        JsonObject guestJoin = calls.joinRest(code, "Gus", null);
        String guestKey = guestJoin.getString("guestKey");
        assertTrue(guestJoin.getBoolean("guest"));
        Member guest = calls.connect(code, guestJoin);
        JsonObject listed = host.socket().await(m -> m.getString("type").equals("participant-joined")
                && m.getJsonObject("participant").getString("id").equals(guest.id()), "the guest joining")
                .getJsonObject("participant");
        assertTrue(listed.getBoolean("guest"), "guests are tagged");
        assertEquals(0, host.socket().all("welcome").get(0).getJsonArray("bans").size(), "the host's welcome lists bans");
        assertFalse(guest.socket().all("welcome").get(0).containsKey("bans"), "only the host's does");

        host.socket().send(Map.of("type", "host", "action", "remove", "target", user.id()));
        assertEquals(4403, user.socket().awaitClose());
        JsonObject bans = host.socket().await("bans");
        assertEquals(user.id(), bans.getJsonArray("bans").getJsonObject(0).getString("id"));
        assertFalse(bans.getJsonArray("bans").getJsonObject(0).getBoolean("guest"));

        Reply again = api.post("api/v1/meetings/" + code + "/participants", "{}", userSession).expect(403);
        assertEquals("removed", again.error());
        WsClient oldToken = calls.open(code);
        oldToken.send(Map.of("type", "join", "token", user.token()));
        assertEquals(4403, oldToken.awaitClose());

        host.socket().send(Map.of("type", "host", "action", "remove", "target", guest.id()));
        assertEquals(4403, guest.socket().awaitClose());
        assertEquals("removed", api.post("api/v1/meetings/" + code + "/participants",
                Api.json(Map.of("displayName", "Gus again", "guestKey", guestKey)), null).expect(403).error());
        assertEquals(2, host.socket().await(m -> m.getString("type").equals("bans")
                && m.getJsonArray("bans").size() == 2, "two bans").getJsonArray("bans").size());

        // someone else cannot lift a ban; the host can, from the list
        Member other = calls.connect(code, calls.joinRest(code, "Olga", null));
        other.socket().send(Map.of("type", "host", "action", "unban", "target", user.id()));
        other.socket().awaitError("not_host");
        host.socket().send(Map.of("type", "host", "action", "unban", "target", "nobody"));
        host.socket().awaitError("unknown_participant");
        host.socket().send(Map.of("type", "host", "action", "unban", "target", user.id()));
        host.socket().await(m -> m.getString("type").equals("bans") && m.getJsonArray("bans").size() == 1, "one ban left");
        JsonObject back = calls.joinRest(code, null, userSession);
        assertEquals(user.id(), back.getString("participantId"), "the same participant, allowed back");
        calls.connect(code, back);
        assertEquals("removed", api.post("api/v1/meetings/" + code + "/participants",
                Api.json(Map.of("displayName", "Gus", "guestKey", guestKey)), null).expect(403).error(),
                "the guest's ban stays");
    }

    // ---------- probe 5: password guessing ----------

    @Test
    void passwordGuessingIsSlowedDownButNotForever() {
        Api attacker = new Api(http, "10.66.0.1");
        String username = Api.uniqueUsername("victim");
        attacker.post("api/v1/auth/register", Api.json(Map.of("username", username, "password", "correct horse")), null)
                .expect(201);
        List<Integer> statuses = new ArrayList<>();
        List<Long> checkedAt = new ArrayList<>(); // when a guess was really tried (401), in ms
        long maxRetryAfter = 0;
        for (int i = 0; i < 40; i++) {
            Reply reply = attacker.post("api/v1/auth/login", Api.json(Map.of("username", username, "password", "guess" + i)), null);
            statuses.add(reply.status());
            if (reply.status() == 401) {
                checkedAt.add(System.nanoTime() / 1_000_000);
            }
            if (reply.status() == 429) {
                assertEquals("too_many_attempts", reply.error());
                long retryAfter = Long.parseLong(reply.header("Retry-After"));
                assertEquals(retryAfter, reply.object().getJsonNumber("retryAfterSeconds").longValue());
                maxRetryAfter = Math.max(maxRetryAfter, retryAfter);
            }
        }
        assertEquals(List.of(401, 401, 401, 401, 401), statuses.subList(0, 5), "a few mistakes are free");
        // then throttled: refused while blocked; a guess is tried again only once its block (1 s, doubling) is over,
        // which a slow run may reach between two attempts
        assertTrue(statuses.subList(5, 40).stream().allMatch(s -> s == 429 || s == 401), statuses.toString());
        assertTrue(statuses.subList(5, 40).stream().filter(s -> s == 429).count() >= 30, "then throttled: " + statuses);
        for (int i = 5; i < checkedAt.size(); i++) {
            assertTrue(checkedAt.get(i) - checkedAt.get(i - 1) >= 900, "a guess tried during its block: " + statuses
                    + ", tried at " + checkedAt);
        }
        assertTrue(maxRetryAfter >= 1 && maxRetryAfter <= 4, "capped (confab.auth.login.max-delay=PT4S): " + maxRetryAfter);

        // the real owner, from elsewhere, waits out the (capped) block and signs in
        Api owner = new Api(http, "10.77.0.1");
        assertEquals(429, owner.post("api/v1/auth/login", Api.json(Map.of("username", username, "password", "correct horse")), null).status(),
                "the account itself is blocked for the moment");
        Servers.sleep(maxRetryAfter * 1000 + 200);
        owner.login(username, "correct horse");
        // and a wrong guess after that is a plain 401 again: the correct sign-in cleared the account's count
        assertEquals(401, owner.post("api/v1/auth/login", Api.json(Map.of("username", username, "password", "typo")), null).status());
    }

    @Test
    void registrationsPerAddressAreLimited() {
        Api farm = new Api(http, "10.88.0.1");
        int created = 0;
        Reply refused = null;
        for (int i = 0; i < 30 && refused == null; i++) {
            Reply reply = farm.post("api/v1/auth/register",
                    Api.json(Map.of("username", Api.uniqueUsername("farm"), "password", "12345678")), null);
            if (reply.status() == 201) {
                created++;
            } else {
                refused = reply;
            }
        }
        assertEquals(20, created, "confab.auth.register.burst");
        assertNotNull(refused);
        assertEquals(429, refused.status());
        assertEquals("too_many_registrations", refused.error());
        assertNotNull(refused.header("Retry-After"));
        new Api(http).newUser("Elsewhere"); // another address is not affected
    }

    // ---------- probes 6 and 7: caching and readiness ----------

    @Test
    void tokensAreNeverCachedAndReadinessTellsNoSecrets() {
        String username = Api.uniqueUsername("cache");
        api.post("api/v1/auth/register", Api.json(Map.of("username", username, "password", "correct horse")), null).expect(201);
        Reply login = api.post("api/v1/auth/login", Api.json(Map.of("username", username, "password", "correct horse")), null).expect(200);
        assertEquals("no-store", login.header("Cache-Control"));
        String code = calls.newMeeting(login.object().getString("token"));
        Reply join = api.post("api/v1/meetings/" + code + "/participants", Api.json(Map.of("displayName", "C")), null).expect(201);
        assertEquals("no-store", join.header("Cache-Control"));

        Reply ready = api.get(ConfabWar.readiness(api.base()).toString(), null).expect(200);
        JsonObject check = ConfabWar.storeCheck(ready.object());
        assertEquals("UP", check.getString("status"));
        assertTrue(!check.containsKey("data") || check.getJsonObject("data").isEmpty(), "no details: " + ready.body());
        assertFalse(ready.body().contains("127.0.0.1") || ready.body().contains("mv.db"), ready.body());
    }

    // ---------- display names ----------

    @Test
    void namesThatPassForSomeoneElseAreRefused() {
        String code = calls.newMeeting(api.newUser("Host").getString("token"));
        for (String name : List.of("Ann\u200B", "An\u200Dn", "\u202EnnA", "Ann\u2066", "\u200FAnn", "Ann\uFEFF",
                "A\u00ADnn", "\u3164", "Ann\u2060")) {
            Reply reply = api.post("api/v1/meetings/" + code + "/participants", Api.json(Map.of("displayName", name)), null);
            assertEquals(400, reply.status(), "refused: " + name.codePoints().mapToObj(Integer::toHexString).toList());
            assertEquals("invalid_display_name", reply.error());
        }
        // the joiners of other scripts that need them are fine: Persian with a zero-width non-joiner, an emoji family
        for (String name : List.of("\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645", "\uD83D\uDC69\u200D\uD83D\uDCBB Ana", "Zoë")) {
            api.post("api/v1/meetings/" + code + "/participants", Api.json(Map.of("displayName", name)), null).expect(201);
        }
        assertEquals("invalid_display_name", api.post("api/v1/auth/register",
                Api.json(Map.of("username", Api.uniqueUsername("bidi"), "password", "12345678", "displayName", "\u202Eevil")), null)
                .expect(400).error());
    }

    // ---------- connection caps ----------

    @Test
    void unjoinedSocketsAreCappedPerAddressAndJoinsPerToken() {
        String code = calls.newMeeting(api.newUser("Host").getString("token"));
        URI ws = URI.create("ws://127.0.0.1:" + http.getPort() + "/ws/meetings/" + code);
        List<WsClient> idle = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            WsClient socket = WsClient.open(ws, Map.of("X-Forwarded-For", "10.99.0.1"));
            calls.track(socket);
            idle.add(socket);
        }
        // a client sees its 101 before the server has counted that socket open (@OnOpen): under load the next
        // handshake can slip past the guard, and is then closed with 1013 (SignalingService.opened); so probe
        waitForHandshake(ws, "10.99.0.1", 429);
        WsClient.Refusal over = WsClient.handshake(ws, Map.of("X-Forwarded-For", "10.99.0.1"));
        assertEquals(429, over.status(), "confab.ws.unjoined.per-address: 20");
        assertTrue(over.body().contains("too_many_connections"));
        assertEquals(101, WsClient.handshake(ws, Map.of("X-Forwarded-For", "10.99.0.2")).status(), "other addresses are fine");
        // joining frees the place
        idle.get(0).join(calls.joinRest(code, "Joiner", null).getString("token"));
        waitForHandshake(ws, "10.99.0.1", 101);

        // one token, many joins (each replacing the last): the first ten pass, then 4429
        String token = calls.joinRest(code, "Flapper", null).getString("token");
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            WsClient socket = calls.open(code);
            socket.send(Map.of("type", "join", "token", token));
            outcomes.add(outcome(socket));
        }
        assertEquals(java.util.Collections.nCopies(10, "welcome"), outcomes.subList(0, 10), outcomes.toString());
        assertEquals(List.of("4429", "4429"), outcomes.subList(10, 12), "confab.ws.join-rate.burst: 10");
    }

    /** "welcome", or the close code, whichever comes first. */
    private static String outcome(WsClient socket) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!socket.all("welcome").isEmpty()) {
                return "welcome";
            }
            if (socket.isClosed()) {
                return String.valueOf(socket.awaitClose());
            }
            Servers.sleep(10);
        }
        return "nothing";
    }

    private static void waitForHandshake(URI ws, String address, int status) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        int last;
        do {
            last = WsClient.handshake(ws, Map.of("X-Forwarded-For", address)).status();
            if (last == status) {
                return;
            }
            Servers.sleep(100);
        } while (System.nanoTime() < deadline);
        assertEquals(status, last);
    }


    // ---------- the suite: every endpoint, every message type ----------

    /**
     * The bystanders: two guests of the attacked meeting who must keep talking through it all. They take turns
     * and keep well inside the per-socket budget (confab.ws.rate.per-second, 50): a fast run once sent one of
     * them past it, and the server rightly dropped that check's signal.
     */
    private final class Bystanders {
        private static final long MIN_GAP_NANOS = 25_000_000; // 40 checks/s: 20 signals/s per sender at most
        final Member b;
        final Member c;
        int n;
        long lastSentNanos = System.nanoTime() - MIN_GAP_NANOS;

        Bystanders(Member b, Member c) {
            this.b = b;
            this.c = c;
        }

        void stillServed(String after) {
            int mark = ++n;
            Member from = mark % 2 == 0 ? b : c;
            Member to = from == b ? c : b;
            long wait = lastSentNanos + MIN_GAP_NANOS - System.nanoTime();
            if (wait > 0) {
                Servers.sleep(wait / 1_000_000 + 1);
            }
            lastSentNanos = System.nanoTime();
            from.socket().send(Map.of("type", "signal", "to", to.id(), "data", Json.createObjectBuilder().add("n", mark).build()));
            try {
                to.socket().await(m -> m.getString("type").equals("signal") && m.getJsonObject("data").getInt("n", -1) == mark,
                        "the bystanders' signal " + mark + " after " + after);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; errors to the sender: " + from.socket().all("error"), e);
            }
            assertFalse(b.socket().isClosed() || c.socket().isClosed(), "bystanders closed after " + after);
            assertTrue(b.socket().all("error").isEmpty() && c.socket().all("error").isEmpty(),
                    "an error reached a bystander after " + after);
        }
    }

    @Test
    void overAHundredBadInputsAreAnsweredClearlyAndHurtNobody() {
        String hostSession = api.newUser("Host").getString("token");
        String code = calls.newMeeting(hostSession);
        String otherCode = calls.newMeeting(hostSession);
        Member host = calls.connect(code, calls.joinRest(code, null, hostSession));
        Bystanders bystanders = new Bystanders(calls.connect(code, calls.joinRest(code, "Bea", null)), calls.connect(code, calls.joinRest(code, "Cy", null)));
        Member attacker = calls.connect(code, calls.joinRest(code, "Mallory", null));
        Member elsewhere = calls.connect(otherCode, calls.joinRest(otherCode, "Zed", null));
        String participantToken = attacker.token();
        String ended = calls.newMeeting(hostSession);
        api.post("api/v1/meetings/" + ended + "/end", null, hostSession).expect(204);
        String strangerSession = api.newUser("Stranger").getString("token");
        int[] count = {0};

        // ---- REST ----
        record Rest(String method, String path, String body, String token, String contentType, int status, String error) {
        }
        List<Rest> rest = new ArrayList<>();
        String big = "{\"x\":\"" + "a".repeat(20_000) + "\"}";
        String deep = "[".repeat(5000) + "]".repeat(5000);
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("{", "invalid_json");
        bodies.put("[]", "invalid_json");
        bodies.put("\"text\"", "invalid_json");
        bodies.put("42", "invalid_json");
        bodies.put(deep, "invalid_json");
        bodies.put("{\"note\":\"\\ud800\"}", "invalid_text");
        bodies.put("{\"\\udc00\":1}", "invalid_text");
        bodies.put("{\"username\":{\"$ne\":null},\"password\":{\"$gt\":\"\"},\"displayName\":[1],\"title\":{\"$ne\":1}}", "invalid_field");
        for (String path : List.of("api/v1/auth/register", "api/v1/auth/login", "api/v1/meetings", "api/v1/meetings/" + code + "/participants")) {
            String token = path.equals("api/v1/meetings") ? hostSession : null;
            bodies.forEach((body, error) -> rest.add(new Rest("POST", path, body, token, "application/json", 400, error)));
            rest.add(new Rest("POST", path, big, token, "application/json", 413, "payload_too_large"));
            rest.add(new Rest("POST", path, "{}", token, "text/plain", 415, "unsupported_media_type"));
            rest.add(new Rest("DELETE", path, null, token, null, 405, "method_not_allowed"));
        }
        String reg = "api/v1/auth/register";
        rest.add(new Rest("POST", reg, "{\"password\":\"12345678\"}", null, "application/json", 400, "missing_field"));
        rest.add(new Rest("POST", reg, "{\"username\":\"abcdef\"}", null, "application/json", 400, "missing_field"));
        rest.add(new Rest("POST", reg, "{\"username\":\"a b\",\"password\":\"12345678\"}", null, "application/json", 400, "invalid_username"));
        rest.add(new Rest("POST", reg, "{\"username\":\"" + "u".repeat(33) + "\",\"password\":\"12345678\"}", null, "application/json", 400, "invalid_username"));
        rest.add(new Rest("POST", reg, "{\"username\":\"abcdef\",\"password\":\"short\"}", null, "application/json", 400, "invalid_password"));
        rest.add(new Rest("POST", reg, "{\"username\":\"abcdef\",\"password\":\"" + "p".repeat(129) + "\"}", null, "application/json", 400, "invalid_password"));
        rest.add(new Rest("POST", reg, "{\"username\":\"abcdefg\",\"password\":\"12345678\",\"displayName\":\"\\u202Eevil\"}", null, "application/json", 400, "invalid_display_name"));
        rest.add(new Rest("POST", reg, "{\"username\":\"abcdefh\",\"password\":\"12345678\",\"displayName\":\"\\u0007bell\"}", null, "application/json", 400, "invalid_display_name"));
        String login = "api/v1/auth/login";
        rest.add(new Rest("POST", login, "{\"username\":\"nobody-here\",\"password\":\"whatever1\"}", null, "application/json", 401, "invalid_credentials"));
        rest.add(new Rest("POST", login, "{\"username\":5,\"password\":\"x\"}", null, "application/json", 400, "invalid_field"));
        rest.add(new Rest("POST", login, "{\"username\":\"abc\"}", null, "application/json", 400, "missing_field"));
        for (String path : List.of("api/v1/auth/logout", "api/v1/auth/me", "api/v1/meetings", "api/v1/me/meetings",
                "api/v1/meetings/" + code + "/end")) {
            String method = path.endsWith("me") || path.endsWith("me/meetings") ? "GET" : "POST";
            rest.add(new Rest(method, path, method.equals("POST") ? "{}" : null, null, "application/json", 401, "unauthorized"));
            rest.add(new Rest(method, path, method.equals("POST") ? "{}" : null, "A".repeat(43), "application/json", 401, "invalid_token"));
            rest.add(new Rest(method, path, method.equals("POST") ? "{}" : null, "not a token at all", "application/json", 401, "invalid_token"));
            rest.add(new Rest(method, path, method.equals("POST") ? "{}" : null, participantToken, "application/json", 403, "insufficient_scope"));
        }
        rest.add(new Rest("POST", "api/v1/meetings", "{\"title\":\"" + "t".repeat(121) + "\"}", hostSession, "application/json", 400, "invalid_title"));
        rest.add(new Rest("POST", "api/v1/meetings", "{\"title\":\"a\\u202Eb\"}", hostSession, "application/json", 400, "invalid_title"));
        rest.add(new Rest("POST", "api/v1/meetings", "{\"title\":7}", hostSession, "application/json", 400, "invalid_field"));
        for (String bad : List.of("not-a-code", "abc-defg-hi", "ABC-DEFG-HIJ", "%F0%9F%98%80", "abc-defg-hij", "x".repeat(300))) {
            rest.add(new Rest("GET", "api/v1/meetings/" + bad, null, null, null, 404, "meeting_not_found"));
            rest.add(new Rest("POST", "api/v1/meetings/" + bad + "/participants", "{\"displayName\":\"X\"}", null, "application/json", 404, "meeting_not_found"));
        }
        String join = "api/v1/meetings/" + code + "/participants";
        rest.add(new Rest("POST", "api/v1/meetings/" + ended + "/participants", "{\"displayName\":\"X\"}", null, "application/json", 410, "meeting_ended"));
        rest.add(new Rest("POST", join, "{}", null, "application/json", 400, "missing_field"));
        rest.add(new Rest("POST", join, "{\"displayName\":\"   \"}", null, "application/json", 400, "invalid_display_name"));
        rest.add(new Rest("POST", join, "{\"displayName\":\"" + "n".repeat(65) + "\"}", null, "application/json", 400, "invalid_display_name"));
        rest.add(new Rest("POST", join, "{\"displayName\":\"Ann\\u200B\"}", null, "application/json", 400, "invalid_display_name"));
        rest.add(new Rest("POST", join, "{\"displayName\":\"X\",\"guestKey\":42}", null, "application/json", 400, "invalid_field"));
        rest.add(new Rest("POST", join, "{\"displayName\":\"X\"}", "garbage", "application/json", 401, "invalid_token"));
        rest.add(new Rest("POST", join, "{\"displayName\":\"X\"}", participantToken, "application/json", 403, "insufficient_scope"));
        rest.add(new Rest("POST", "api/v1/meetings/" + code + "/end", null, strangerSession, null, 403, "forbidden"));
        rest.add(new Rest("POST", "api/v1/meetings/abc-defg-hij/end", null, hostSession, null, 404, "meeting_not_found"));
        for (String query : List.of("limit=0", "limit=101", "limit=abc", "limit=-1", "before=yesterday", "before=%00")) {
            String error = query.startsWith("limit") ? "invalid_limit" : "invalid_before";
            rest.add(new Rest("GET", "api/v1/me/meetings?" + query, null, hostSession, null, 400, error));
        }
        rest.add(new Rest("GET", "api/v1/no-such-thing", null, null, null, 404, "not_found"));
        for (Rest r : rest) {
            String what = r.method() + " " + r.path().substring(0, Math.min(60, r.path().length())) + " "
                    + (r.body() == null ? "" : r.body().substring(0, Math.min(40, r.body().length())));
            HttpRequest.Builder request = api.request(r.path(), r.token());
            if (r.contentType() != null) {
                request.header("Content-Type", r.contentType());
            }
            request.method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(r.body()));
            Reply reply = api.send(request.build());
            assertEquals(r.status(), reply.status(), what + " → " + reply.body());
            assertTrue(reply.contentType() != null && reply.contentType().startsWith("application/json"), what + " → " + reply.contentType());
            assertEquals(r.error(), reply.error(), what);
            assertFalse(reply.object().getString("message").isBlank(), what);
            count[0]++;
            bystanders.stillServed(what);
        }

        // ---- WebSocket: a joined guest's messages ----
        Map<String, String> ws = new java.util.LinkedHashMap<>();
        String x = attacker.id();
        String b = bystanders.b.id();
        String z = elsewhere.id();
        ws.put("{oops", "invalid_json");
        ws.put("", "invalid_json");
        ws.put("[1]", "invalid_message");
        ws.put("\"x\"", "invalid_message");
        ws.put("{}", "invalid_message");
        ws.put("{\"type\":5}", "invalid_message");
        ws.put("{\"type\":null}", "invalid_message");
        ws.put("{\"type\":[\"chat\"]}", "invalid_message");
        ws.put("{\"type\":\"dance\"}", "unknown_type");
        ws.put("{\"type\":\"CHAT\",\"text\":\"x\"}", "unknown_type");
        ws.put("{\"type\":\"\\udc00\"}", "invalid_text");
        ws.put("{\"type\":\"join\",\"token\":\"x\"}", "already_joined");
        ws.put("{\"type\":\"signal\",\"data\":{}}", "missing_field");
        ws.put("{\"type\":\"signal\",\"to\":5,\"data\":{}}", "invalid_field");
        ws.put("{\"type\":\"signal\",\"to\":\"" + x + "\",\"data\":{}}", "invalid_target");
        ws.put("{\"type\":\"signal\",\"to\":\"nobody\",\"data\":{}}", "unknown_participant");
        ws.put("{\"type\":\"signal\",\"to\":\"" + z + "\",\"data\":{}}", "unknown_participant");
        ws.put("{\"type\":\"signal\",\"to\":\"" + b + "\"}", "missing_field");
        ws.put("{\"type\":\"signal\",\"to\":\"" + b + "\",\"data\":\"sdp\"}", "invalid_field");
        ws.put("{\"type\":\"signal\",\"to\":\"" + b + "\",\"data\":[1]}", "invalid_field");
        ws.put("{\"type\":\"signal\",\"to\":\"" + b + "\",\"data\":{\"a\":{\"b\":[\"\\ud800\"]}}}", "invalid_text");
        ws.put("{\"type\":\"signal\",\"to\":\"\\udc00\",\"data\":{}}", "invalid_text");
        ws.put("{\"type\":\"signal\",\"to\":{\"$ne\":null},\"data\":{}}", "invalid_field");
        ws.put("{\"type\":\"chat\"}", "missing_field");
        ws.put("{\"type\":\"chat\",\"text\":5}", "invalid_field");
        ws.put("{\"type\":\"chat\",\"text\":\"\"}", "invalid_text");
        ws.put("{\"type\":\"chat\",\"text\":\" \\n\\t \"}", "invalid_text");
        ws.put("{\"type\":\"chat\",\"text\":\"" + "c".repeat(2001) + "\"}", "invalid_text");
        ws.put("{\"type\":\"chat\",\"text\":\"bell\\u0007\"}", "invalid_text");
        ws.put("{\"type\":\"chat\",\"text\":\"\\ud800\"}", "invalid_text");
        ws.put("{\"type\":\"chat\",\"text\":\"hi\",\"to\":\"" + x + "\"}", "invalid_target");
        ws.put("{\"type\":\"chat\",\"text\":\"hi\",\"to\":\"nobody\"}", "unknown_participant");
        ws.put("{\"type\":\"chat\",\"text\":\"hi\",\"to\":\"" + z + "\"}", "unknown_participant");
        ws.put("{\"type\":\"chat\",\"text\":\"hi\",\"to\":[]}", "invalid_field");
        ws.put("{\"type\":\"chat\",\"text\":\"hi\",\"clientId\":\"has space\"}", "invalid_field");
        ws.put("{\"type\":\"chat\",\"text\":\"hi\",\"clientId\":\"" + "k".repeat(65) + "\"}", "invalid_field");
        ws.put("{\"type\":\"chat\",\"text\":\"hi\",\"clientId\":7}", "invalid_field");
        ws.put("{\"type\":\"media\"}", "missing_field");
        ws.put("{\"type\":\"media\",\"audio\":\"yes\",\"video\":true,\"screen\":false}", "invalid_field");
        ws.put("{\"type\":\"media\",\"audio\":true,\"video\":1,\"screen\":false}", "invalid_field");
        ws.put("{\"type\":\"media\",\"audio\":true,\"video\":true}", "missing_field");
        ws.put("{\"type\":\"media\",\"audio\":null,\"video\":true,\"screen\":false}", "missing_field");
        ws.put("{\"type\":\"hand\"}", "missing_field");
        ws.put("{\"type\":\"hand\",\"raised\":\"true\"}", "invalid_field");
        ws.put("{\"type\":\"hand\",\"raised\":1}", "invalid_field");
        for (String action : List.of("mute", "remove", "unban", "lock", "unlock", "end")) {
            ws.put("{\"type\":\"host\",\"action\":\"" + action + "\",\"target\":\"" + b + "\"}", "not_host");
        }
        for (Map.Entry<String, String> c : ws.entrySet()) {
            String what = "socket " + c.getKey().substring(0, Math.min(70, c.getKey().length()));
            attacker.socket().send(c.getKey());
            JsonObject error = attacker.socket().awaitError(c.getValue());
            assertFalse(error.getString("message").isBlank(), what);
            assertFalse(attacker.socket().isClosed(), what + " closed the attacker's socket");
            count[0]++;
            bystanders.stillServed(what);
        }

        // ---- WebSocket: the host's own mistakes ----
        Map<String, String> hostCases = new java.util.LinkedHashMap<>();
        hostCases.put("{\"type\":\"host\"}", "missing_field");
        hostCases.put("{\"type\":\"host\",\"action\":\"explode\"}", "invalid_field");
        hostCases.put("{\"type\":\"host\",\"action\":3}", "invalid_field");
        hostCases.put("{\"type\":\"host\",\"action\":\"mute\"}", "missing_field");
        hostCases.put("{\"type\":\"host\",\"action\":\"remove\",\"target\":\"" + host.id() + "\"}", "invalid_target");
        hostCases.put("{\"type\":\"host\",\"action\":\"remove\",\"target\":\"nobody\"}", "unknown_participant");
        hostCases.put("{\"type\":\"host\",\"action\":\"mute\",\"target\":\"" + z + "\"}", "unknown_participant");
        hostCases.put("{\"type\":\"host\",\"action\":\"remove\",\"target\":\"" + z + "\"}", "unknown_participant");
        hostCases.put("{\"type\":\"host\",\"action\":\"unban\",\"target\":\"" + b + "\"}", "unknown_participant");
        for (Map.Entry<String, String> c : hostCases.entrySet()) {
            host.socket().send(c.getKey());
            host.socket().awaitError(c.getValue());
            count[0]++;
            bystanders.stillServed("host " + c.getKey());
        }

        // ---- WebSocket: sockets that must be closed, each its own ----
        String otherToken = elsewhere.token();
        record Closing(String name, java.util.function.Consumer<WsClient> send, int code) {
        }
        List<Closing> closing = List.of(
                new Closing("binary frame", s -> s.sendBinary(new byte[] {1, 2, 3}), 1003),
                new Closing("65 KiB frame", s -> s.send("{\"type\":\"chat\",\"text\":\"" + "y".repeat(65 * 1024) + "\"}"), 1009),
                new Closing("garbage token", s -> s.send(Map.of("type", "join", "token", "garbage")), 4401),
                new Closing("unknown token", s -> s.send(Map.of("type", "join", "token", "B".repeat(43))), 4401),
                new Closing("session token", s -> s.send(Map.of("type", "join", "token", hostSession)), 4401),
                new Closing("other meeting's token", s -> s.send(Map.of("type", "join", "token", otherToken)), 4401),
                new Closing("numeric token", s -> s.send("{\"type\":\"join\",\"token\":42}"), 4401),
                new Closing("object token", s -> s.send("{\"type\":\"join\",\"token\":{\"$ne\":null}}"), 4401),
                new Closing("lone surrogate token", s -> s.send("{\"type\":\"join\",\"token\":\"\\ud800\"}"), 4408));
        for (Closing c : closing) {
            WsClient socket = calls.open(code);
            c.send().accept(socket);
            if (c.code() == 4408) {
                socket.awaitError("invalid_text"); // refused as text; then it never joined
            }
            assertEquals(c.code(), socket.awaitClose(), c.name());
            count[0]++;
            bystanders.stillServed(c.name());
        }
        WsClient unknownMeeting = WsClient.open(http, "zzz-zzzz-zzz");
        calls.track(unknownMeeting);
        unknownMeeting.send(Map.of("type", "join", "token", participantToken));
        assertEquals(4404, unknownMeeting.awaitClose());
        count[0]++;
        WsClient unjoined = calls.open(code);
        for (String type : List.of("signal", "chat", "media", "hand", "leave", "host")) {
            unjoined.send("{\"type\":\"" + type + "\"}");
            assertEquals(type, unjoined.awaitError("not_joined").getString("ref"));
            count[0]++;
        }
        bystanders.stillServed("the unjoined socket");
        assertTrue(elsewhere.socket().all().stream().map(m -> m.getString("type")).allMatch("welcome"::equals),
                "nothing crossed into the other meeting");
        System.out.println("HostileInputIT: " + count[0] + " distinct bad inputs, each answered clearly; the bystanders were served after every one");
        assertTrue(count[0] >= 100, "at least 100 bad inputs: " + count[0]);
    }
}
