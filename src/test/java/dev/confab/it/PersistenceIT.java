package dev.confab.it;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.confab.it.support.Api;
import dev.confab.it.support.ConfabServer;
import dev.confab.it.support.Servers;
import dev.confab.it.support.WsClient;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Stops and starts Confab (its own server process, Payara Micro or WildFly, same data directory) and checks that accounts,
 * meetings, history, chat and tokens survive; that session and participant tokens die at expiry and the EJB
 * timer sweeps them; and that a configured MongoDB URL is used instead of the embedded store.
 */
// on WildFly (pom.xml), the tests tagged "core": the restart (its shutdown, the EJB timer's sweep) and the configured
// URL (its MicroProfile Config). The kill test exercises the store's commit alone, the same code on either server.
class PersistenceIT {

    private static final Path WORK = Path.of(System.getProperty("confab.it.dir", "target/it"));

    @Test
    @Tag("core")
    void dataSurvivesARestartAndDeadTokensAreSwept() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(WORK), "restart");
        Path data = dir.resolve("data");
        int storePort = Servers.freePort();
        Map<String, String> first = Map.of("confab.data.dir", data.toString(), "confab.auth.bcrypt-cost", "10");

        String username;
        String sessionToken;
        String code;
        String guestToken;
        try (ConfabServer micro = Servers.start(dir, first)) {
            Api api = new Api(micro.base());
            JsonObject login = api.newUser("Keeper");
            username = login.getJsonObject("user").getString("username");
            sessionToken = login.getString("token");
            code = api.post("api/v1/meetings", Api.json(Map.of("title", "kept")), sessionToken).expect(201)
                    .object().getString("code");
            guestToken = api.post("api/v1/meetings/" + code + "/participants",
                    Api.json(Map.of("displayName", "G")), null).expect(201).object().getString("token");
            try (WsClient guest = WsClient.open(micro.base(), code)) {
                guest.join(guestToken);
                guest.send(Map.of("type", "chat", "text", "before the restart"));
                guest.await("chat"); // the echo comes after the message is stored
            }
        }

        // second life: same data, short session TTL, fast sweep, store on a known port so the test can look in
        Map<String, String> second = Map.of("confab.data.dir", data.toString(), "confab.auth.bcrypt-cost", "10",
                "confab.token.session-ttl", "PT3S", "confab.token.participant-ttl", "PT3S",
                "confab.token.sweep-interval", "PT1S",
                "confab.store.embedded.port", String.valueOf(storePort));
        try (ConfabServer micro = Servers.start(dir, second)) {
            Api api = new Api(micro.base());
            // tokens issued before the restart still work (their expiry was fixed when issued)
            assertEquals(username, api.get("api/v1/auth/me", sessionToken).expect(200).object().getString("username"));
            assertEquals("kept", api.get("api/v1/meetings/" + code, null).expect(200).object().getString("title"));
            assertEquals(code, api.get("api/v1/me/meetings", sessionToken).expect(200).array()
                    .getJsonObject(0).getString("code"));
            assertEquals(403, api.get("api/v1/auth/me", guestToken).status(), "guest token alive, wrong kind");

            // a fresh login has the 3 s TTL: valid now, refused once expired, then swept from the store
            String shortLived = api.login(username, "correct horse").getString("token");
            api.get("api/v1/auth/me", shortLived).expect(200);
            String loggedOut = api.login(username, "correct horse").getString("token");
            api.post("api/v1/auth/logout", null, loggedOut).expect(204);
            String shortGuest = api.post("api/v1/meetings/" + code + "/participants",
                    Api.json(Map.of("displayName", "Brief")), null).expect(201).object().getString("token");
            Servers.sleep(3500);
            assertEquals("invalid_token", api.get("api/v1/auth/me", shortLived).expect(401).error());

            // chat history survived; an expired participant token cannot join the meeting's socket
            try (WsClient guest = WsClient.open(micro.base(), code); WsClient brief = WsClient.open(micro.base(), code)) {
                assertEquals("before the restart", guest.join(guestToken).getJsonArray("chat").getJsonObject(0).getString("text"));
                brief.send(Map.of("type", "join", "token", shortGuest));
                assertEquals(4401, brief.awaitClose());
            }

            try (MongoClient mongo = MongoClients.create("mongodb://127.0.0.1:" + storePort)) {
                var tokens = mongo.getDatabase("confab").getCollection("tokens");
                assertEquals(0, tokens.countDocuments(Filters.eq("_id", sessionToken)), "raw tokens are never stored");
                long deadline = System.currentTimeMillis() + 15_000;
                while ((tokens.countDocuments(Filters.eq("_id", sha256(shortLived))) > 0
                        || tokens.countDocuments(Filters.eq("_id", sha256(loggedOut))) > 0)
                        && System.currentTimeMillis() < deadline) {
                    Servers.sleep(250);
                }
                assertEquals(0, tokens.countDocuments(Filters.eq("_id", sha256(shortLived))), "expired token swept");
                assertEquals(0, tokens.countDocuments(Filters.eq("_id", sha256(loggedOut))), "revoked token swept");
                assertEquals(1, tokens.countDocuments(Filters.eq("_id", sha256(guestToken))), "live token kept");
            }
        }
    }

    /**
     * Security decisions are on disk before their answer: a {@code kill -9} right after a logout, a removal or the
     * end of a meeting (the embedded store otherwise commits every 100 ms) must not undo them.
     */
    @Test
    void aKillRightAfterASecurityDecisionDoesNotUndoIt() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(WORK), "kill");
        Map<String, String> props = Map.of("confab.data.dir", dir.resolve("data").toString(), "confab.auth.bcrypt-cost", "10");
        String username;
        String loggedOut;
        String code;
        String removedToken;
        String guestKey;
        String endedCode;
        String endedToken;
        int port = Servers.freePort();
        ConfabServer micro = Servers.start(dir, props, port);
        try {
            Api api = new Api(micro.base());
            JsonObject login = api.newUser("Durable");
            username = login.getJsonObject("user").getString("username");
            String session = login.getString("token");
            code = api.post("api/v1/meetings", "{}", session).expect(201).object().getString("code");
            endedCode = api.post("api/v1/meetings", "{}", session).expect(201).object().getString("code");
            JsonObject guest = api.post("api/v1/meetings/" + code + "/participants", Api.json(Map.of("displayName", "G")), null)
                    .expect(201).object();
            removedToken = guest.getString("token");
            guestKey = guest.getString("guestKey");
            endedToken = api.post("api/v1/meetings/" + endedCode + "/participants", Api.json(Map.of("displayName", "E")), null)
                    .expect(201).object().getString("token");
            String hostToken = api.post("api/v1/meetings/" + code + "/participants", "{}", session).expect(201).object().getString("token");
            loggedOut = api.login(username, "correct horse").getString("token");
            Servers.sleep(500); // all of the above is committed by now
            try (WsClient host = WsClient.open(micro.base(), code); WsClient g = WsClient.open(micro.base(), code)) {
                host.join(hostToken);
                g.join(removedToken);
                host.await("participant-joined");
                api.post("api/v1/meetings/" + endedCode + "/end", null, session).expect(204);
                api.post("api/v1/auth/logout", null, loggedOut).expect(204);
                host.send(Map.of("type", "host", "action", "remove", "target", guest.getString("participantId")));
                host.await("participant-left"); // the answer: now kill
                micro.kill();
            }
        } finally {
            micro.close();
        }
        try (ConfabServer again = Servers.start(dir, props, port)) {
            Api api = new Api(again.base());
            assertEquals("invalid_token", api.get("api/v1/auth/me", loggedOut).expect(401).error(), "logout survived the kill");
            assertEquals("removed", api.post("api/v1/meetings/" + code + "/participants",
                    Api.json(Map.of("displayName", "G", "guestKey", guestKey)), null).expect(403).error(), "the ban survived");
            assertEquals("ended", api.get("api/v1/meetings/" + endedCode, null).expect(200).object().getString("status"));
            try (WsClient removed = WsClient.open(again.base(), code); WsClient late = WsClient.open(again.base(), endedCode)) {
                removed.send(Map.of("type", "join", "token", removedToken));
                assertEquals(4403, removed.awaitClose(), "the removal's revocation survived");
                late.send(Map.of("type", "join", "token", endedToken));
                assertEquals(4410, late.awaitClose());
            }
        }
    }

    @Test
    @Tag("core")
    void aConfiguredMongoUrlIsUsedInsteadOfTheEmbeddedStore() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(WORK), "external");
        MongoServer external = new MongoServer(new MemoryBackend());
        external.bind("127.0.0.1", 0);
        int port = external.getLocalAddress().getPort();
        Map<String, String> props = Map.of("jnosql.mongodb.url", "mongodb://127.0.0.1:" + port,
                "confab.data.dir", dir.resolve("must-not-exist").toString(), "confab.auth.bcrypt-cost", "10");
        try (ConfabServer micro = Servers.start(dir, props)) {
            Api api = new Api(micro.base());
            String username = api.newUser("Ext").getJsonObject("user").getString("username");
            assertFalse(api.get(micro.readiness().toString(), null).expect(200).body().contains(String.valueOf(port)),
                    "readiness does not say where the store is");
            try (MongoClient mongo = MongoClients.create("mongodb://127.0.0.1:" + port)) {
                assertEquals(1, mongo.getDatabase("confab").getCollection("users")
                        .countDocuments(Filters.eq("username", username)));
            }
            assertFalse(Files.exists(dir.resolve("must-not-exist")), "no embedded store was started");
            assertTrue(micro.log().contains("Confab store: external MongoDB at 127.0.0.1:" + port));
        } finally {
            external.shutdownNow();
        }
    }

    private static String sha256(String token) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes()));
    }
}
