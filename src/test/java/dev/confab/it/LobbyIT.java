package dev.confab.it;

import dev.confab.it.support.Api;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The lobby, co-hosts and reactions over the protocol, as any client would use them (docs/protocol.md): who
 * waits, what a waiting socket receives (nothing of the meeting), admit, deny, reconnects, and who can admit
 * when the host has gone.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@Tag("core") // also run on WildFly (pom.xml)
class LobbyIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConfabWar.asRoot();
    }

    @ArquillianResource
    URL base;

    Api api;
    MeetingClient calls;

    @BeforeEach
    void client() {
        URI http = ConfabWar.loopback(base);
        calls = new MeetingClient(http);
        api = calls.api();
    }

    @AfterEach
    void closeSockets() {
        calls.close();
    }

    private String meetingWithLobby(String hostSession) {
        JsonObject created = api.post("api/v1/meetings", "{\"title\":\"Board\",\"lobby\":true}", hostSession)
                .expect(201).object();
        assertTrue(created.getBoolean("lobby"));
        return created.getString("code");
    }

    /** A socket that joined and was told to wait. */
    private record Knocker(String id, String token, WsClient socket, JsonObject waiting) {
    }

    private Knocker knock(String code, String name) {
        JsonObject joined = calls.joinRest(code, name, null);
        WsClient socket = calls.open(code);
        socket.send(Map.of("type", "join", "token", joined.getString("token")));
        JsonObject waiting = socket.await("waiting");
        return new Knocker(joined.getString("participantId"), joined.getString("token"), socket, waiting);
    }

    /** Knocks as a guest and is let in by {@code host}; returns the guest's socket once welcomed. */
    private Knocker admitted(String code, Member host, String name) {
        Knocker knocker = knock(code, name);
        host.socket().send(Map.of("type", "host", "action", "admit", "target", knocker.id()));
        knocker.socket().await("welcome");
        return knocker;
    }

    private static List<String> waitingIds(JsonObject knocking) {
        return knocking.getJsonArray("waiting").getValuesAs(JsonObject.class).stream().map(w -> w.getString("id")).toList();
    }

    private static JsonObject awaitKnocking(WsClient socket, List<String> ids) {
        return socket.await(m -> m.getString("type").equals("knocking") && waitingIds(m).equals(ids),
                "the lobby list " + ids);
    }

    @Test
    void newcomersWaitSeeNothingOfTheMeetingAndComeInWhenAdmitted() {
        String session = api.newUser("Host").getString("token");
        String code = meetingWithLobby(session);
        Member host = calls.enterAsHost(code, session);
        assertTrue(host.welcome().getJsonObject("meeting").getBoolean("lobby"));
        assertEquals("Board", host.welcome().getJsonObject("meeting").getString("title"));
        Instant started = Instant.parse(host.welcome().getJsonObject("meeting").getString("startedAt"));
        assertTrue(Math.abs(Instant.now().toEpochMilli() - started.toEpochMilli()) < 60_000, "started now: " + started);
        assertEquals(0, host.welcome().getJsonArray("waiting").size());
        host.socket().send(Map.of("type", "chat", "text", "before anyone came"));
        host.socket().await("chat");

        Knocker ann = knock(code, "Ann");
        assertEquals("Ann", ann.waiting().getJsonObject("self").getString("name"));
        assertEquals("Board", ann.waiting().getJsonObject("meeting").getString("title"));
        assertFalse(ann.waiting().containsKey("participants"), "the waiting page learns nobody's name");
        JsonObject knocking = awaitKnocking(host.socket(), List.of(ann.id()));
        assertEquals("Ann", knocking.getJsonArray("waiting").getJsonObject(0).getString("name"));
        assertTrue(knocking.getJsonArray("waiting").getJsonObject(0).getBoolean("guest"));

        // nothing of the meeting reaches the lobby, and the lobby cannot reach the meeting
        host.socket().send(Map.of("type", "chat", "text", "while Ann waits"));
        host.socket().send(Map.of("type", "media", "audio", true, "video", true, "screen", false));
        host.socket().send(Map.of("type", "reaction", "emoji", "\uD83C\uDF89"));
        host.socket().await("reaction");
        host.socket().await(m -> m.getString("type").equals("chat") && m.getString("text").equals("while Ann waits"), "the chat");
        for (String type : List.of("chat", "signal", "media", "hand", "reaction", "sfu-subscribe", "host")) {
            ann.socket().send(Map.of("type", type, "text", "x", "to", host.id(), "data", Json.createObjectBuilder().build(), "emoji", "\uD83D\uDC4D"));
            assertEquals(type, ann.socket().awaitError("in_lobby").getString("ref"));
        }
        assertEquals(2, host.socket().all("chat").size(), "the lobby's chat went nowhere");
        host.socket().send(Map.of("type", "host", "action", "admit", "target", "nobody"));
        assertEquals("unknown_participant", host.socket().awaitError("unknown_participant").getString("code"));
        assertEquals(List.of("waiting", "error"), ann.socket().all().stream().map(m -> m.getString("type")).distinct().toList(),
                "the lobby saw only that it waits, and its refusals: " + ann.socket().all());

        host.socket().send(Map.of("type", "host", "action", "admit", "target", ann.id()));
        JsonObject welcome = ann.socket().await("welcome");
        assertEquals(List.of("before anyone came", "while Ann waits"),
                welcome.getJsonArray("chat").getValuesAs(JsonObject.class).stream().map(c -> c.getString("text")).toList());
        assertEquals(host.id(), welcome.getJsonArray("participants").getJsonObject(0).getString("id"));
        assertFalse(welcome.containsKey("waiting"), "only hosts and co-hosts see the lobby");
        assertEquals(ann.id(), host.socket().await("participant-joined").getJsonObject("participant").getString("id"));
        awaitKnocking(host.socket(), List.of());

        // admitted for good: a reconnect with the same token walks straight in
        ann.socket().abort();
        WsClient again = calls.open(code);
        assertTrue(again.join(ann.token()).getBoolean("resumed"));
    }

    @Test
    void aDeniedNewcomerIsToldAndCannotKnockAgainWithThatToken() {
        String session = api.newUser("Host").getString("token");
        String code = meetingWithLobby(session);
        Member host = calls.enterAsHost(code, session);
        Knocker eve = knock(code, "Eve");
        awaitKnocking(host.socket(), List.of(eve.id()));
        host.socket().send(Map.of("type", "host", "action", "deny", "target", eve.id()));
        assertEquals(4405, eve.socket().awaitClose());
        awaitKnocking(host.socket(), List.of());
        WsClient again = calls.open(code);
        again.send(Map.of("type", "join", "token", eve.token()));
        assertEquals(4401, again.awaitClose(), "the denied token is dead");
        assertTrue(host.socket().all("participant-joined").isEmpty(), "Eve never came in");
    }

    @Test
    void aHostTurnsTheLobbyOnDuringTheMeetingAndWhoWasInWalksBackIn() {
        String session = api.newUser("Host").getString("token");
        String code = calls.newMeeting(session); // no lobby
        Member host = calls.enterAsHost(code, session);
        Member early = calls.enter(code, "Early");
        host.socket().send(Map.of("type", "host", "action", "lobby-on"));
        for (Member m : List.of(host, early)) {
            JsonObject lobby = m.socket().await("lobby");
            assertTrue(lobby.getBoolean("lobby"));
            assertEquals(host.id(), lobby.getString("by"));
        }
        assertTrue(api.get("api/v1/meetings/" + code, null).expect(200).object().getBoolean("lobby"));
        Knocker late = knock(code, "Late");
        awaitKnocking(host.socket(), List.of(late.id()));
        early.socket().send(Map.of("type", "leave")); // gone, then back with the same token: it had been let in
        early.socket().awaitClose();
        assertEquals("Early", calls.open(code).join(early.token()).getJsonObject("self").getString("name"));
    }

    @Test
    void endingTheMeetingReachesTheLobbyToo() {
        String session = api.newUser("Host").getString("token");
        String code = meetingWithLobby(session);
        Member host = calls.enterAsHost(code, session);
        Knocker waiting = knock(code, "Still waiting");
        awaitKnocking(host.socket(), List.of(waiting.id()));
        host.socket().send(Map.of("type", "host", "action", "end"));
        waiting.socket().await("meeting-ended");
        assertEquals(4410, waiting.socket().awaitClose());
        assertEquals(4410, host.socket().awaitClose());
    }

    @Test
    void aReconnectKeepsItsPlaceInTheLineAndLeavingTakesItOut() {
        String session = api.newUser("Host").getString("token");
        String code = meetingWithLobby(session);
        Member host = calls.enterAsHost(code, session);
        Knocker first = knock(code, "First");
        awaitKnocking(host.socket(), List.of(first.id()));
        Knocker second = knock(code, "Second");
        JsonObject both = awaitKnocking(host.socket(), List.of(first.id(), second.id()));
        String since = both.getJsonArray("waiting").getJsonObject(0).getString("since");

        first.socket().abort(); // its network dropped
        Servers.sleep(300);
        WsClient back = calls.open(code);
        back.send(Map.of("type", "join", "token", first.token()));
        back.await("waiting");
        JsonObject after = awaitKnocking(host.socket(), List.of(first.id(), second.id()));
        assertEquals(since, after.getJsonArray("waiting").getJsonObject(0).getString("since"), "still first in line");

        second.socket().send(Map.of("type", "leave"));
        assertEquals(1000, second.socket().awaitClose());
        awaitKnocking(host.socket(), List.of(first.id()));

        // turning the lobby off lets everyone waiting in
        host.socket().send(Map.of("type", "host", "action", "lobby-off"));
        assertFalse(host.socket().await("lobby").getBoolean("lobby"));
        back.await("welcome");
        assertFalse(api.get("api/v1/meetings/" + code, null).expect(200).object().getBoolean("lobby"));
        calls.enter(code, "Walks in"); // no lobby any more
    }

    @Test
    void aCohostRunsTheLobbyButCannotEndOrRemoveTheHost() {
        String session = api.newUser("Host").getString("token");
        String code = meetingWithLobby(session);
        Member host = calls.enterAsHost(code, session);
        Knocker bea = admitted(code, host, "Bea");
        Member bee = new Member(bea.id(), bea.token(), bea.socket(), null);

        bee.socket().send(Map.of("type", "host", "action", "lock"));
        assertEquals("not_host", bee.socket().awaitError("not_host").getString("code"));
        host.socket().send(Map.of("type", "host", "action", "cohost", "target", bee.id()));
        JsonObject role = bee.socket().await("role");
        assertEquals(bee.id(), role.getString("id"));
        assertTrue(role.getBoolean("cohost"));
        assertTrue(host.socket().await("role").getBoolean("cohost"));
        bee.socket().await("bans");
        bee.socket().await("knocking");

        Knocker cy = knock(code, "Cy");
        awaitKnocking(bee.socket(), List.of(cy.id()));
        bee.socket().send(Map.of("type", "host", "action", "admit-all"));
        assertEquals("Cy", cy.socket().await("welcome").getJsonObject("self").getString("name"));
        bee.socket().send(Map.of("type", "host", "action", "end"));
        assertTrue(bee.socket().awaitError("not_host").getString("message").contains("Only the host"));
        bee.socket().send(Map.of("type", "host", "action", "remove", "target", host.id()));
        bee.socket().awaitError("invalid_target");
        bee.socket().send(Map.of("type", "host", "action", "cohost", "target", cy.id()));
        bee.socket().awaitError("not_host");
        assertFalse(host.socket().isClosed());

        // the role is stored: a reconnect keeps it
        bee.socket().abort();
        WsClient again = calls.open(code);
        JsonObject welcome = again.join(bee.token());
        assertTrue(welcome.getJsonObject("self").getBoolean("cohost"));
        assertTrue(welcome.containsKey("waiting"));
        host.socket().send(Map.of("type", "host", "action", "uncohost", "target", bee.id()));
        assertFalse(again.await("role").getBoolean("cohost"));
    }

    @Test
    void whenTheHostLeavesTheLongestPresentSignedInPersonCanAdmit() {
        String session = api.newUser("Host").getString("token");
        String code = meetingWithLobby(session);
        Member host = calls.enterAsHost(code, session);
        admitted(code, host, "Early guest");
        String colleagueSession = api.newUser("Colleague").getString("token");
        JsonObject colleagueJoin = calls.joinRest(code, null, colleagueSession);
        WsClient colleague = calls.open(code);
        colleague.send(Map.of("type", "join", "token", colleagueJoin.getString("token")));
        colleague.await("waiting");
        host.socket().send(Map.of("type", "host", "action", "admit", "target", colleagueJoin.getString("participantId")));
        colleague.await("welcome");
        Knocker late = knock(code, "Late");
        awaitKnocking(host.socket(), List.of(late.id()));

        host.socket().send(Map.of("type", "leave"));
        JsonObject role = colleague.await(m -> m.getString("type").equals("role") && m.getBoolean("cohost"), "the hand-over");
        assertEquals(colleagueJoin.getString("participantId"), role.getString("id"), "signed in beats longer present guest");
        assertEquals(List.of(late.id()), waitingIds(colleague.await("knocking")));
        colleague.send(Map.of("type", "host", "action", "admit", "target", late.id()));
        late.socket().await("welcome");
    }

    @Test
    void reactionsReachEveryoneAFewASecond() {
        String session = api.newUser("Host").getString("token");
        String code = calls.newMeeting(session);
        Member host = calls.enterAsHost(code, session);
        Member guest = calls.enter(code, "Guest");
        guest.socket().send(Map.of("type", "reaction", "emoji", "\uD83D\uDC4F"));
        for (Member m : List.of(host, guest)) {
            JsonObject reaction = m.socket().await("reaction");
            assertEquals(guest.id(), reaction.getString("id"));
            assertEquals("\uD83D\uDC4F", reaction.getString("emoji"));
        }
        guest.socket().send(Map.of("type", "reaction", "emoji", "<script>"));
        assertEquals("reaction", guest.socket().awaitError("invalid_field").getString("ref"));
        guest.socket().send(Map.of("type", "reaction"));
        guest.socket().awaitError("missing_field");
        for (int i = 0; i < 8; i++) {
            guest.socket().send(Map.of("type", "reaction", "emoji", "\u2764\uFE0F"));
        }
        assertEquals("reaction", guest.socket().awaitError("rate_limited").getString("ref"));
        guest.socket().send(Map.of("type", "signal", "to", host.id(), "data", Json.createObjectBuilder().add("n", 1).build()));
        host.socket().await("signal"); // refused reactions cost the socket nothing else
        Servers.sleep(300);
        int hearts = (int) host.socket().all("reaction").stream().filter(r -> r.getString("emoji").equals("\u2764\uFE0F")).count();
        assertTrue(hearts >= 3 && hearts <= 5, "a burst of 5 at most (one was the clap): " + hearts);
        assertFalse(guest.socket().isClosed());
    }
}
