package dev.confab.it;

import dev.confab.it.support.Api;
import dev.confab.it.support.ConfabServer;
import dev.confab.it.support.Servers;
import dev.confab.it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Chat far past what the server can store: it refuses the excess with {@code busy} (a retry hint and the
 * message's client id) instead of dropping people, signals all arrive, every chat it took is delivered once, and
 * chat works again right after. The server runs with one lane worker and a short chat queue
 * ({@code confab.ws.lane-workers=1}, {@code confab.ws.shed-queue=20}) so that "past capacity" does not depend on
 * this machine's speed; the figures at full scale are the benchmark's (docs/benchmarks.md).
 */
@Tag("core") // also run on WildFly (pom.xml)
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
}
