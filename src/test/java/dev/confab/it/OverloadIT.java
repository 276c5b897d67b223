package dev.confab.it;

import dev.confab.it.support.Api;
import dev.confab.it.support.ConfabServer;
import dev.confab.it.support.Servers;
import dev.confab.it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Chat far past what the server can store: it refuses the excess with {@code busy} (a retry hint and the
 * message's client id) instead of dropping people, signals all arrive, every chat it took is delivered once, and
 * chat works again right after. The server runs with one lane worker and a short chat queue
 * ({@code confab.ws.lane-workers=1}, {@code confab.ws.shed-queue=20}) so that "past capacity" does not depend on
 * this machine's speed; the figures at full scale are the benchmark's (docs/benchmarks.md).
 */
@Tag("core") // also run on WildFly (pom.xml)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverloadIT {

    private static final Path WORK = Path.of(System.getProperty("confab.it.dir", "target/it"));
    private static final int MEETINGS = 10;
    private static final int SIZE = 4;
    private static final int CHATS_EACH = 40;

    private static ConfabServer micro;

    record Member(String id, WsClient socket) {
    }

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(WORK), "overload");
        micro = Servers.start(dir, Map.of("confab.data.dir", dir.resolve("data").toString(),
                "confab.auth.bcrypt-cost", "10", "confab.ws.lane-workers", "1", "confab.ws.shed-queue", "20"));
    }

    @AfterAll
    static void stop() {
        if (micro != null) {
            micro.close();
        }
    }

    private static int fromOthers(Member member) {
        return (int) member.socket().all("chat").stream().filter(m -> !member.id().equals(m.getString("from"))).count();
    }

    @Test
    @Order(1)
    void chatPastCapacityIsRefusedAsBusyAndNobodyIsDroppedOrLosesASignal() {
        Api api = new Api(micro.base());
        String host = api.newUser("Host").getString("token");
        List<List<Member>> meetings = new ArrayList<>();
        for (int m = 0; m < MEETINGS; m++) {
            String code = api.post("api/v1/meetings", "{}", host).expect(201).object().getString("code");
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < SIZE; i++) {
                JsonObject joined = api.post("api/v1/meetings/" + code + "/participants",
                        Api.json(Map.of("displayName", "p" + i)), null).expect(201).object();
                WsClient socket = WsClient.open(micro.base(), code);
                socket.join(joined.getString("token"));
                members.add(new Member(joined.getString("participantId"), socket));
            }
            meetings.add(members);
        }
        List<Member> everyone = meetings.stream().flatMap(List::stream).toList();
        for (List<Member> members : meetings) { // everyone has seen everyone arrive
            for (Member member : members) {
                while (member.socket().all("participant-joined").size() + member.socket().all("welcome").get(0)
                        .getJsonArray("participants").size() < SIZE - 1) {
                    Servers.sleep(20);
                }
            }
        }

        // the burst: every participant sends its chats at once, and one signal to its neighbour after every tenth
        int signals = 0;
        for (int round = 0; round < CHATS_EACH; round++) {
            for (List<Member> members : meetings) {
                for (int i = 0; i < SIZE; i++) {
                    Member from = members.get(i);
                    from.socket().send(Map.of("type", "chat", "text", "burst " + round, "clientId", "c" + round));
                    if (round % 10 == 0) {
                        Member to = members.get((i + 1) % SIZE);
                        from.socket().send(Map.of("type", "signal", "to", to.id(),
                                "data", Json.createObjectBuilder().add("round", round).build()));
                        signals++;
                    }
                }
            }
        }
        // every chat is answered: an echo (stored) or busy
        int busy = 0;
        int accepted = 0;
        for (Member member : everyone) {
            for (int round = 0; round < CHATS_EACH; round++) {
                String clientId = "c" + round;
                JsonObject answer = member.socket().await(m -> clientId.equals(m.getString("clientId", null))
                        && (m.getString("type").equals("error") || member.id().equals(m.getString("from", null))),
                        "the answer to " + clientId);
                if (answer.getString("type").equals("error")) {
                    assertEquals("busy", answer.getString("code"));
                    assertEquals("chat", answer.getString("ref"));
                    assertTrue(answer.getJsonNumber("retryAfterMs").longValue() > 0);
                    busy++;
                } else {
                    accepted++;
                }
            }
        }
        assertTrue(busy > 0, "the burst was past capacity: some chat was refused");
        assertTrue(accepted > 0, "and some was taken");

        // nobody was dropped, every signal arrived, every accepted chat reached the three others once
        int deliveredSignals = 0;
        for (List<Member> members : meetings) {
            int acceptedHere = 0;
            for (Member member : members) {
                acceptedHere += (int) member.socket().all("chat").stream()
                        .filter(m -> member.id().equals(m.getString("from"))).count();
            }
            for (Member member : members) {
                assertFalse(member.socket().isClosed(), "nobody is dropped");
                int ownAccepted = (int) member.socket().all("chat").stream().filter(m -> member.id().equals(m.getString("from"))).count();
                // the others' last accepted chats may still be on their way to this member: wait for them (and no more)
                int expected = acceptedHere - ownAccepted;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (fromOthers(member) < expected && System.nanoTime() < deadline) {
                    Servers.sleep(20);
                }
                Servers.sleep(100);
                assertEquals(expected, fromOthers(member), "each accepted chat once");
                deliveredSignals += member.socket().all("signal").size();
                assertTrue(member.socket().all("participant-left").isEmpty());
            }
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (deliveredSignals < signals && System.nanoTime() < deadline) { // the last may still be on their way
            Servers.sleep(20);
            deliveredSignals = everyone.stream().mapToInt(m -> m.socket().all("signal").size()).sum();
        }
        assertEquals(signals, deliveredSignals, "no signal lost");

        // and chat is back at once: a busy client's re-send (the same client id) is taken
        Member first = everyone.get(0);
        JsonObject refused = everyone.stream().flatMap(m -> m.socket().all("error").stream()).findFirst().orElseThrow();
        Servers.sleep(refused.getJsonNumber("retryAfterMs").longValue());
        first.socket().send(Map.of("type", "chat", "text", "after the burst", "clientId", "after"));
        long sent = System.nanoTime();
        Member neighbour = meetings.get(0).get(1);
        neighbour.socket().await(m -> "after the burst".equals(m.getString("text", null)), "chat after the burst");
        long millis = (System.nanoTime() - sent) / 1_000_000;
        System.out.println("OverloadIT: " + accepted + " chats taken, " + busy + " refused as busy, " + deliveredSignals
                + "/" + signals + " signals, first chat after the burst delivered in " + millis + " ms");
    }

    /**
     * A flood of REST requests far past what the server answers must not cost the people in a meeting their place:
     * their pongs must not wait behind the queued requests (on WildFly they did, in Undertow's worker pool, until
     * {@code src/main/wildfly/confab.cli} moved WebSocket messages to the I/O threads).
     */
    @Test
    @Order(2) // last: the server works through the queued requests long after the test
    void anHttpFloodSlowsTheApiButDropsNobodyInAMeeting() throws Exception {
        Api api = new Api(micro.base());
        String host = api.newUser("Flood").getString("token");
        String code = api.post("api/v1/meetings", "{}", host).expect(201).object().getString("code");
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            JsonObject joined = api.post("api/v1/meetings/" + code + "/participants",
                    Api.json(Map.of("displayName", "f" + i)), null).expect(201).object();
            WsClient socket = WsClient.open(micro.base(), code);
            socket.join(joined.getString("token"));
            members.add(new Member(joined.getString("participantId"), socket));
        }

        // far more requests than the server answers in the heartbeat's 3 s, sent as fast as this client can; then
        // quiet on the client's side while the server works through them (its heartbeat keeps time meanwhile).
        // Fewer than 4 096: past that, Payara's HTTP thread pool refuses work by dropping connections, sockets
        // included (docs/deployment.md); that is the container's limit, not the heartbeat's judgement tested here.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest me = HttpRequest.newBuilder(micro.base().resolve("api/v1/auth/me"))
                .header("Authorization", "Bearer " + host).build();
        List<CompletableFuture<HttpResponse<Void>>> flood = new ArrayList<>();
        for (int i = 0; i < 3500; i++) {
            flood.add(http.sendAsync(me, HttpResponse.BodyHandlers.discarding()));
        }
        Servers.sleep(12_000);
        long answeredAtTheEnd = flood.stream().filter(CompletableFuture::isDone).count();
        for (Member member : members) {
            assertFalse(member.socket().isClosed(), "nobody is dropped (closed with " + (member.socket().isClosed()
                    ? member.socket().awaitClose() : 0) + ")");
            assertTrue(member.socket().all("participant-left").isEmpty(), "nobody saw anyone leave");
        }
        // and signals still flow: each member sends one to the next
        for (int i = 0; i < members.size(); i++) {
            members.get(i).socket().send(Map.of("type", "signal", "to", members.get((i + 1) % members.size()).id(),
                    "data", Json.createObjectBuilder().add("after", "flood").build()));
        }
        for (Member member : members) {
            member.socket().await("signal");
        }
        System.out.println("OverloadIT: " + flood.size() + " REST requests at once, " + answeredAtTheEnd
                + " answered 12 s later; 12 participants kept their sockets");
        flood.forEach(f -> f.cancel(true));
    }
}
