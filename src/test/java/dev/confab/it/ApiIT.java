package dev.confab.it;

import dev.confab.it.support.Api;
import dev.confab.it.support.Api.Reply;
import dev.confab.it.support.ConfabWar;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Every REST endpoint over real HTTP against the real WAR (embedded store), on Payara Micro and on WildFly. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("core") // also run on WildFly (pom.xml)
class ApiIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConfabWar.asRoot();
    }

    @ArquillianResource
    URL base;

    Api api;

    @BeforeEach
    void client() {
        api = new Api(ConfabWar.loopback(base));
    }

    // ---------- accounts ----------

    @Test
    void registerLoginMeLogout() {
        String username = Api.uniqueUsername("Ann");
        Reply registered = api.post("api/v1/auth/register",
                Api.json(Map.of("username", username, "password", "correct horse", "displayName", " Ann A ")), null);
        registered.expect(201);
        assertTrue(registered.contentType().startsWith("application/json"));
        JsonObject user = registered.object();
        assertEquals(username, user.getString("username"));
        assertEquals("Ann A", user.getString("displayName"));
        assertFalse(user.containsKey("passwordHash"));

        // case-insensitive login, since usernames are case-insensitively unique
        JsonObject login = api.login(username.toUpperCase(), "correct horse");
        String token = login.getString("token");
        assertEquals(43, token.length());
        assertTrue(Instant.parse(login.getString("expiresAt")).isAfter(Instant.now().plusSeconds(11 * 3600)));
        assertEquals(user.getString("id"), login.getJsonObject("user").getString("id"));

        JsonObject me = api.get("api/v1/auth/me", token).expect(200).object();
        assertEquals(username, me.getString("username"));

        api.post("api/v1/auth/logout", null, token).expect(204);
        Reply after = api.get("api/v1/auth/me", token).expect(401);
        assertEquals("invalid_token", after.error());
        assertTrue(after.header("WWW-Authenticate").startsWith("Bearer"));
    }

    @Test
    void usernamesAreUniqueIgnoringCase() {
        String username = Api.uniqueUsername("bob");
        api.post("api/v1/auth/register", Api.json(Map.of("username", username, "password", "12345678")), null).expect(201);
        Reply clash = api.post("api/v1/auth/register",
                Api.json(Map.of("username", username.toUpperCase(), "password", "12345678")), null).expect(409);
        assertEquals("username_taken", clash.error());
    }

    @Test
    void registrationValidation() {
        assertEquals("invalid_username", register("ab", "12345678").expect(400).error());
        assertEquals("invalid_username", register("bad name", "12345678").expect(400).error());
        assertEquals("invalid_password", register(Api.uniqueUsername("p"), "short").expect(400).error());
        assertEquals("invalid_password", register(Api.uniqueUsername("p"), "x".repeat(129)).expect(400).error());
        assertEquals("missing_field", api.post("api/v1/auth/register", "{\"username\":\"abcdef\"}", null).expect(400).error());
        assertEquals("invalid_field", api.post("api/v1/auth/register",
                "{\"username\":\"abcdef\",\"password\":12345678}", null).expect(400).error());
        assertEquals("invalid_json", api.post("api/v1/auth/register", "{\"username\":", null).expect(400).error());
        assertEquals("invalid_json", api.post("api/v1/auth/register", "[1,2]", null).expect(400).error());
        assertEquals("invalid_json", api.post("api/v1/auth/register", "", null).expect(400).error());
    }

    @Test
    void wrongUsernameAndWrongPasswordLookTheSame() {
        JsonObject login = api.newUser("carol");
        String username = login.getJsonObject("user").getString("username");
        Reply wrongPassword = api.post("api/v1/auth/login",
                Api.json(Map.of("username", username, "password", "not the password")), null).expect(401);
        Reply unknownUser = api.post("api/v1/auth/login",
                Api.json(Map.of("username", Api.uniqueUsername("nobody"), "password", "not the password")), null).expect(401);
        assertEquals(wrongPassword.body(), unknownUser.body());
        assertEquals("invalid_credentials", wrongPassword.error());
    }

    @Test
    void operatorInjectionInUsernameIsRefused() {
        api.newUser("dave");
        Reply r = api.post("api/v1/auth/login", "{\"username\":{\"$ne\":null},\"password\":{\"$ne\":null}}", null).expect(400);
        assertEquals("invalid_field", r.error());
        Reply r2 = api.post("api/v1/auth/login", "{\"username\":\"$ne\",\"password\":\"whatever1\"}", null).expect(401);
        assertEquals("invalid_credentials", r2.error());
    }

    @Test
    void protectedEndpointsNeedAValidSessionToken() {
        Reply none = api.get("api/v1/auth/me", null).expect(401);
        assertEquals("unauthorized", none.error());
        assertTrue(none.header("WWW-Authenticate").startsWith("Bearer"));
        assertEquals("invalid_token", api.get("api/v1/auth/me", "garbage").expect(401).error());
        assertEquals("invalid_token", api.get("api/v1/auth/me", "A".repeat(43)).expect(401).error());
        assertEquals("invalid_token", api.send(api.request("api/v1/auth/me", null)
                .header("Authorization", "Basic YTpi").GET().build()).expect(401).error());
        assertEquals(401, api.post("api/v1/auth/logout", null, null).status());
        assertEquals(401, api.get("api/v1/me/meetings", null).status());
        assertEquals(401, api.post("api/v1/meetings", "{}", null).status());
    }

    @Test
    void httpLevelErrorsAreJson() {
        Reply notFound = api.get("api/v1/no-such-thing", null).expect(404);
        assertEquals("not_found", notFound.error());
        Reply wrongMethod = api.send(api.request("api/v1/auth/login", null).DELETE().build()).expect(405);
        assertEquals("method_not_allowed", wrongMethod.error());
        Reply wrongType = api.send(api.request("api/v1/auth/login", null).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build()).expect(415);
        assertEquals("unsupported_media_type", wrongType.error());
    }

    @Test
    void oversizeBodiesAre413DeclaredOrStreamed() {
        String big = "{\"username\":\"" + "a".repeat(40_000) + "\",\"password\":\"12345678\"}";
        assertEquals("payload_too_large", api.post("api/v1/auth/register", big, null).expect(413).error());
        // chunked: no Content-Length to refuse up front
        Reply chunked = api.send(api.request("api/v1/auth/register", null).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build());
        assertEquals(413, chunked.status(), chunked.body());
        assertEquals("payload_too_large", chunked.error());
    }

    @Test
    void corsOnlyForTheAllowList() {
        Reply allowed = api.send(api.request("api/v1/auth/login", null)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://allowed.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").build());
        assertTrue(allowed.status() == 200 || allowed.status() == 204, allowed.body());
        assertEquals("http://allowed.example", allowed.header("Access-Control-Allow-Origin"));
        assertTrue(allowed.header("Access-Control-Allow-Headers").contains("Authorization"));

        Reply denied = api.send(api.request("api/v1/auth/login", null)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST").build());
        assertNull(denied.header("Access-Control-Allow-Origin"));

        Reply simpleAllowed = api.send(api.request("api/v1/meetings/abc-defg-hij", null)
                .header("Origin", "http://allowed.example").GET().build());
        assertEquals("http://allowed.example", simpleAllowed.header("Access-Control-Allow-Origin"));
        Reply simpleDenied = api.send(api.request("api/v1/meetings/abc-defg-hij", null)
                .header("Origin", "http://evil.example").GET().build());
        assertNull(simpleDenied.header("Access-Control-Allow-Origin"));
    }

    // ---------- meetings ----------

    @Test
    void createLookUpJoinAndEndAMeeting() {
        JsonObject host = api.newUser("Host");
        String hostToken = host.getString("token");
        Reply created = api.post("api/v1/meetings", Api.json(Map.of("title", "Weekly sync")), hostToken).expect(201);
        JsonObject meeting = created.object();
        String code = meeting.getString("code");
        assertTrue(code.matches("[a-z]{3}-[a-z]{4}-[a-z]{3}"), code);
        assertEquals("open", meeting.getString("status"));
        assertEquals("Weekly sync", meeting.getString("title"));
        assertEquals(host.getJsonObject("user").getString("id"), meeting.getJsonObject("host").getString("id"));
        assertEquals(api.base().resolve("m/" + code).toString(), meeting.getString("link"));
        assertTrue(created.header("Location").endsWith("/api/v1/meetings/" + code));

        JsonObject seen = api.get("api/v1/meetings/" + code, null).expect(200).object();
        assertEquals("Weekly sync", seen.getString("title"));
        assertEquals("Host", seen.getJsonObject("host").getString("displayName"));
        assertFalse(seen.getJsonObject("host").containsKey("id"));

        // a guest joins with a display name only
        JsonObject guest = api.post("api/v1/meetings/" + code + "/participants",
                Api.json(Map.of("displayName", "Guest G")), null).expect(201).object();
        assertFalse(guest.getBoolean("host"));
        assertEquals(code, guest.getJsonObject("meeting").getString("code"));
        String guestToken = guest.getString("token");
        assertNotNull(guest.getString("participantId"));

        // the host joins as themself: host flag, same participant on re-join
        JsonObject hostJoin = api.post("api/v1/meetings/" + code + "/participants", "{}", hostToken).expect(201).object();
        assertTrue(hostJoin.getBoolean("host"));
        assertEquals("Host", hostJoin.getString("displayName"));
        JsonObject hostAgain = api.post("api/v1/meetings/" + code + "/participants", "{}", hostToken).expect(201).object();
        assertEquals(hostJoin.getString("participantId"), hostAgain.getString("participantId"));

        // a participant token is not a session token
        assertEquals(403, api.get("api/v1/auth/me", guestToken).status());
        assertEquals(403, api.post("api/v1/meetings", "{}", guestToken).status());
        assertEquals(403, api.post("api/v1/meetings/" + code + "/end", null, guestToken).status());

        // only the host ends it
        JsonObject other = api.newUser("Other");
        assertEquals("forbidden", api.post("api/v1/meetings/" + code + "/end", null, other.getString("token")).expect(403).error());
        api.post("api/v1/meetings/" + code + "/end", null, hostToken).expect(204);
        assertEquals("ended", api.get("api/v1/meetings/" + code, null).expect(200).object().getString("status"));
        assertEquals("meeting_ended", api.post("api/v1/meetings/" + code + "/participants",
                Api.json(Map.of("displayName", "Late")), null).expect(410).error());
    }

    @Test
    void endingAMeetingRevokesItsParticipantTokensOnly() {
        String hostToken = api.newUser("H").getString("token");
        String a = api.post("api/v1/meetings", "{}", hostToken).expect(201).object().getString("code");
        String b = api.post("api/v1/meetings", "{}", hostToken).expect(201).object().getString("code");
        String tokenA = join(a, "Pa").getString("token");
        String tokenB = join(b, "Pb").getString("token");
        // a participant token is only for its meeting: joining elsewhere with it is refused
        assertEquals(403, api.post("api/v1/meetings/" + b + "/participants",
                Api.json(Map.of("displayName", "X")), tokenA).status());
        api.post("api/v1/meetings/" + a + "/end", null, hostToken).expect(204);
        // tokenA is now dead (401 everywhere it is presented), tokenB still live (403: live but wrong kind)
        assertEquals("invalid_token", api.get("api/v1/auth/me", tokenA).expect(401).error());
        assertEquals(403, api.get("api/v1/auth/me", tokenB).status());
        // the host's session survives
        api.get("api/v1/auth/me", hostToken).expect(200);
    }

    @Test
    void meetingInputErrors() {
        String hostToken = api.newUser("I").getString("token");
        assertEquals("meeting_not_found", api.get("api/v1/meetings/zzz-zzzz-zzz", null).expect(404).error());
        assertEquals("meeting_not_found", api.get("api/v1/meetings/not-a-code", null).expect(404).error());
        assertEquals(404, api.post("api/v1/meetings/zzz-zzzz-zzz/participants",
                Api.json(Map.of("displayName", "X")), null).status());
        assertEquals(404, api.post("api/v1/meetings/zzz-zzzz-zzz/end", null, hostToken).status());
        assertEquals("invalid_title", api.post("api/v1/meetings",
                Api.json(Map.of("title", "t".repeat(121))), hostToken).expect(400).error());
        assertEquals("invalid_field", api.post("api/v1/meetings", "{\"title\":42}", hostToken).expect(400).error());
        String code = api.post("api/v1/meetings", "{}", hostToken).expect(201).object().getString("code");
        assertEquals("missing_field", api.post("api/v1/meetings/" + code + "/participants", "{}", null).expect(400).error());
        assertEquals("invalid_display_name", api.post("api/v1/meetings/" + code + "/participants",
                Api.json(Map.of("displayName", "   ")), null).expect(400).error());
        assertEquals("invalid_field", api.post("api/v1/meetings/" + code + "/participants",
                "{\"displayName\":{\"$ne\":null}}", null).expect(400).error());
        assertEquals("invalid_token", api.post("api/v1/meetings/" + code + "/participants",
                Api.json(Map.of("displayName", "X")), "expired-or-garbage").expect(401).error());
    }

    @Test
    void historyListsHostedAndJoinedMeetingsNewestFirstWithPaging() {
        String hostToken = api.newUser("Hist").getString("token");
        JsonObject joiner = api.newUser("Joiner");
        String joinerToken = joiner.getString("token");
        String first = api.post("api/v1/meetings", Api.json(Map.of("title", "first")), hostToken).expect(201).object().getString("code");
        String second = api.post("api/v1/meetings", Api.json(Map.of("title", "second")), hostToken).expect(201).object().getString("code");
        api.post("api/v1/meetings/" + first + "/participants", "{}", joinerToken).expect(201);
        api.post("api/v1/meetings/" + first + "/end", null, hostToken).expect(204);

        var hostHistory = api.get("api/v1/me/meetings", hostToken).expect(200).array();
        assertEquals(2, hostHistory.size());
        assertEquals(second, hostHistory.getJsonObject(0).getString("code"));
        assertEquals("host", hostHistory.getJsonObject(0).getString("role"));
        assertEquals("open", hostHistory.getJsonObject(0).getString("status"));
        assertEquals(first, hostHistory.getJsonObject(1).getString("code"));
        assertEquals("ended", hostHistory.getJsonObject(1).getString("status"));

        var page1 = api.get("api/v1/me/meetings?limit=1", hostToken).expect(200).array();
        assertEquals(1, page1.size());
        String before = page1.getJsonObject(0).getString("joinedAt");
        var page2 = api.get("api/v1/me/meetings?limit=1&before=" + before, hostToken).expect(200).array();
        assertEquals(first, page2.getJsonObject(0).getString("code"));

        var joinerHistory = api.get("api/v1/me/meetings", joinerToken).expect(200).array();
        assertEquals(1, joinerHistory.size());
        assertEquals("participant", joinerHistory.getJsonObject(0).getString("role"));
        assertEquals("first", joinerHistory.getJsonObject(0).getString("title"));

        assertEquals("invalid_limit", api.get("api/v1/me/meetings?limit=500", hostToken).expect(400).error());
        assertEquals("invalid_before", api.get("api/v1/me/meetings?before=soon", hostToken).expect(400).error());
    }

    @Test
    void healthReportsTheStoreUpWithoutDetails() {
        Reply health = api.get(ConfabWar.readiness(api.base()).toString(), null).expect(200);
        JsonObject store = ConfabWar.storeCheck(health.object());
        assertEquals("UP", store.getString("status"));
        assertFalse(health.body().contains("embedded"), "readiness is public: where the store is goes to the log");
    }

    private JsonObject join(String code, String name) {
        return api.post("api/v1/meetings/" + code + "/participants", Api.json(Map.of("displayName", name)), null)
                .expect(201).object();
    }

    private Reply register(String username, String password) {
        return api.post("api/v1/auth/register", Api.json(Map.of("username", username, "password", password)), null);
    }
}
