package dev.confab.it;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.confab.it.support.Api;
import dev.confab.it.support.Chromium;
import dev.confab.it.support.ConfabServer;
import dev.confab.it.support.JanusServer;
import dev.confab.it.support.MeetingClient;
import dev.confab.it.support.MeetingClient.Member;
import dev.confab.it.support.MeetingPage;
import dev.confab.it.support.NetworkNamespace;
import dev.confab.it.support.Servers;
import dev.confab.it.support.TcpBalancer;
import dev.confab.it.support.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Several Confab nodes sharing meetings through their Hazelcast members, with one MongoDB-wire store for all (a
 * server of the test's own), behind a round-robin TCP balancer without sticky sessions. Participants are placed on
 * chosen nodes (as a balancer may place them) and everything that happens in a meeting must cross between them.
 * Later tests kill a node with SIGKILL and add a third one to the running cluster; the last puts browsers on two
 * nodes, in a mesh meeting and in one through the SFU, and kills the node of the host and of the SFU room's driver.
 * Janus and Chromium run in a network namespace of the test's (Janus's ICE ignores loopback); the nodes stay on
 * loopback outside, reaching Janus's API through a forwarded port, and the browsers reach the balancer through
 * ports brought inside. The SFU takes meetings past two people ({@code confab.sfu.mesh-max=2}).
 * On WildFly only the first test runs (two nodes), to show the same WAR clusters there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Path WORK = Path.of(System.getProperty("confab.it.dir", "target/it"));
    private static final long GRACE_MILLIS = 8_000;
    /** 160×120: six pages encode and decode on two cores, beside two nodes. */
    private static final String TINY_VIDEO = "{\"videoHeight\":120}";
    /**
     * The longest a tile's decoder may stand still while a node dies (its framesDecoded unchanged), on the mesh:
     * browser to browser, nothing of Confab's is on the media path (measured 105-460 ms). The page's render gaps,
     * measured before, went up to 2.6 s on two loaded cores: they measured the page's main thread, not the media.
     * A replaced connection is caught apart from this: {@link MeetingPage#assertSameVideoTrackSinceWatch}.
     */
    private static final double MESH_STALL_LIMIT_MS = 1500;
    /**
     * The same through the SFU while its driver dies. Usually 0-850 ms, but one CI run in three saw one tile stand
     * still 3.9 s (the others in that run: up to 854 ms) while the surviving node took the Janus session over: a
     * known defect, not yet explained (the closing note of 2026-12-04). The limit still fails media that stops
     * for good or for longer; it is to come down to the mesh's once the takeover's stall is found.
     */
    private static final double SFU_STALL_LIMIT_MS = 5000;

    private static MongoServer store;
    private static final int[] CLUSTER_PORTS = {Servers.freeLowPort(), Servers.freeLowPort(), Servers.freeLowPort()};
    private static final ConfabServer[] nodes = new ConfabServer[3];
    private static Path dir;
    private static TcpBalancer balancer;
    private static int alive;
    private static NetworkNamespace ns;
    private static JanusServer janus;
    private static URI janusApi;
    private static Chromium chromium;

    private final List<MeetingClient> clients = new ArrayList<>();
    private MeetingClient onA;
    private MeetingClient onB;

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Files.createTempDirectory(Files.createDirectories(WORK), "cluster");
        store = new MongoServer(new MemoryBackend());
        store.bind("127.0.0.1", 0);
        ns = NetworkNamespace.create(dir);
        janus = JanusServer.start(ns, dir);
        janusApi = ns.forward(ns.address(), JanusServer.WS_PORT);
        // the first two nodes boot together; each finds the other through the list
        CompletableFuture<ConfabServer> a = CompletableFuture.supplyAsync(() -> node(0));
        CompletableFuture<ConfabServer> b = CompletableFuture.supplyAsync(() -> node(1));
        nodes[0] = a.join();
        nodes[1] = b.join();
        balancer = new TcpBalancer(List.of(nodes[0].base(), nodes[1].base()));
        awaitMembers(nodes[0], 2);
        awaitMembers(nodes[1], 2);
        alive = 2;
    }

    private static ConfabServer node(int index) {
        Map<String, String> props = new HashMap<>();
        props.put("jnosql.mongodb.url", "mongodb://127.0.0.1:" + store.getLocalAddress().getPort());
        props.put("confab.data.dir", dir.resolve("unused-" + index).toString());
        props.put("confab.auth.bcrypt-cost", "10");
        props.put("confab.ws.reconnect-grace", "PT" + GRACE_MILLIS / 1000 + "S");
        props.put("confab.cluster.members", "127.0.0.1:" + CLUSTER_PORTS[0] + ",127.0.0.1:" + CLUSTER_PORTS[1]
                + ",127.0.0.1:" + CLUSTER_PORTS[2]);
        props.put("confab.cluster.port", String.valueOf(CLUSTER_PORTS[index]));
        props.put("confab.cluster.member-timeout", "PT5S");
        props.put("confab.sfu.url", "ws://127.0.0.1:" + janusApi.getPort() + "/");
        props.put("confab.sfu.api-secret", janus.apiSecret());
        props.put("confab.sfu.admin-key", janus.adminKey());
        props.put("confab.sfu.mesh-max", "2");
        try {
            return Servers.start(dir.resolve("node-" + index), props);
        } catch (Exception e) {
            throw new IllegalStateException("node " + index + " did not start", e);
        }
    }

    /** Until the node's log says it sees {@code size} members (Confab's own log lines, docs/deployment.md). */
    private static void awaitMembers(ConfabServer node, int size) throws Exception {
        node.awaitLog("cluster of " + size + " members", Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopCluster() {
        Servers.closeAll(chromium, balancer, nodes[0], nodes[1], nodes[2], store == null ? null : store::shutdownNow,
                janus, ns);
    }

    @BeforeEach
    void clients() {
        onA = client(nodes[0].base());
        onB = client(nodes[1].base());
    }

    private MeetingClient client(URI base) {
        MeetingClient client = new MeetingClient(base);
        clients.add(client);
        return client;
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MeetingClient::close);
    }

    @Test
    @Order(1)
    @Tag("core") // the one cross-node test that also runs on WildFly (pom.xml): its own member inside the WAR
    void participantsOnTwoNodesShareOneMeeting() {
        Hosted meeting = hosted(onA, "Ann");
        String code = meeting.code();
        Member host = meeting.host();
        Member bob = onB.enter(code, "Bob");
        assertEquals(host.id(), bob.welcome().getJsonArray("participants").getJsonObject(0).getString("id"),
                "the node of the guest knows the host on the other node");
        assertEquals(bob.id(), host.socket().await("participant-joined").getJsonObject("participant").getString("id"));

        // signals cross in order, both ways
        for (int i = 0; i < 40; i++) {
            host.socket().send(Map.of("type", "signal", "to", bob.id(), "data", Json.createObjectBuilder().add("n", i).build()));
        }
        bob.socket().send(Map.of("type", "signal", "to", host.id(), "data", Json.createObjectBuilder().add("n", 0).build()));
        host.socket().await("signal");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (bob.socket().all("signal").size() < 40 && System.nanoTime() < deadline) {
            Servers.sleep(20);
        }
        assertEquals(IntStream.range(0, 40).boxed().toList(), bob.socket().all("signal").stream()
                .map(s -> s.getJsonObject("data").getInt("n")).toList(), "every signal, in the order sent");

        // chat: each once, to everyone on both nodes; a private one to its target alone
        host.socket().send(Map.of("type", "chat", "text", "from node A", "clientId", "a1"));
        bob.socket().send(Map.of("type", "chat", "text", "from node B", "clientId", "b1"));
        Member cy = onB.enter(code, "Cy");
        host.socket().send(Map.of("type", "chat", "text", "just for Cy", "to", cy.id()));
        cy.socket().await(m -> "just for Cy".equals(m.getString("text", null)), "the private message");
        bob.socket().await(m -> "from node A".equals(m.getString("text", null)), "the host's chat");
        host.socket().await(m -> "from node B".equals(m.getString("text", null)), "the guest's chat");
        Servers.sleep(300);
        assertEquals(1, texts(bob.socket(), "from node A"), "once");
        assertEquals(0, texts(bob.socket(), "just for Cy"), "not to the others");
        List<String> history = cy.welcome().getJsonArray("chat").stream()
                .map(v -> v.asJsonObject().getString("text")).toList();
        assertTrue(history.containsAll(List.of("from node A", "from node B")), "history from both nodes: " + history);

        // media, hand and reactions reach the other node
        bob.socket().send(Map.of("type", "media", "audio", true, "video", true, "screen", false));
        assertTrue(host.socket().await("media").getBoolean("video"));
        host.socket().send(Map.of("type", "hand", "raised", true));
        assertTrue(bob.socket().await("hand").getBoolean("raised"));
        bob.socket().send(Map.of("type", "reaction", "emoji", "👍"));
        host.socket().await("reaction");

        // leaving is seen across nodes at once
        cy.socket().send(Map.of("type", "leave"));
        assertEquals(cy.id(), host.socket().await("participant-left").getString("id"));
    }

    @Test
    @Order(2)
    void hostActionsReachTheOtherNode() {
        Hosted meeting = hosted(onA, "Host");
        String code = meeting.code();
        Member host = meeting.host();
        Member bob = onB.enter(code, "Bob");
        Member eve = onB.enter(code, "Eve");

        host.socket().send(Map.of("type", "host", "action", "mute", "target", bob.id()));
        assertEquals(host.id(), bob.socket().await("mute-request").getString("from"));

        host.socket().send(Map.of("type", "host", "action", "cohost", "target", bob.id()));
        assertTrue(bob.socket().await("role").getBoolean("cohost"));
        bob.socket().send(Map.of("type", "host", "action", "lock")); // a co-host on node B acts with its new role
        assertTrue(host.socket().await("locked").getBoolean("locked"));
        assertEquals("meeting_locked", onA.api().post("api/v1/meetings/" + code + "/participants",
                Api.json(Map.of("displayName", "Late")), null).expect(423).error(), "locked on every node");
        bob.socket().send(Map.of("type", "host", "action", "unlock"));
        assertFalse(host.socket().await(m -> "locked".equals(m.getString("type")) && !m.getBoolean("locked"),
                "unlocked").getBoolean("locked"));

        // the lobby: a knock on node B is seen and answered on node A
        host.socket().send(Map.of("type", "host", "action", "lobby-on"));
        bob.socket().await("lobby");
        JsonObject knocks = onA.joinRest(code, "Kim", null);
        WsClient kim = onB.open(code);
        kim.send(Map.of("type", "join", "token", knocks.getString("token")));
        kim.await("waiting");
        String kimId = knocks.getString("participantId");
        host.socket().await(m -> "knocking".equals(m.getString("type")) && !m.getJsonArray("waiting").isEmpty(), "a knock");
        host.socket().send(Map.of("type", "host", "action", "admit", "target", kimId));
        assertEquals(kimId, kim.await("welcome").getJsonObject("self").getString("id"), "let in across nodes");
        JsonObject pat = onA.joinRest(code, "Pat", null);
        WsClient patSocket = onB.open(code);
        patSocket.send(Map.of("type", "join", "token", pat.getString("token")));
        patSocket.await("waiting");
        host.socket().send(Map.of("type", "host", "action", "deny", "target", pat.getString("participantId")));
        assertEquals(4405, patSocket.awaitClose(), "turned away across nodes");

        // removal bans on every node: Eve (on B) is closed, and cannot come back through A
        host.socket().send(Map.of("type", "host", "action", "remove", "target", eve.id()));
        assertEquals(4403, eve.socket().awaitClose());
        assertEquals(eve.id(), bob.socket().await("participant-left").getString("id"));
        WsClient again = onA.open(code);
        again.send(Map.of("type", "join", "token", eve.token()));
        assertEquals(4403, again.awaitClose(), "the ban holds on the other node");

        // the end closes everyone, on both nodes
        host.socket().send(Map.of("type", "host", "action", "end"));
        bob.socket().await("meeting-ended");
        kim.await("meeting-ended");
        assertEquals(4410, bob.socket().awaitClose());
    }

    @Test
    @Order(3)
    void everyPortANodeListensOnIsOnTheConfiguredInterfaceOnly() throws Exception {
        for (ConfabServer node : List.of(nodes[0], nodes[1])) {
            Process ss = new ProcessBuilder("ss", "-Hltnp").redirectErrorStream(true).start();
            List<String> listening = new String(ss.getInputStream().readAllBytes()).lines()
                    .filter(line -> line.contains("pid=" + node.pid() + ",")).toList();
            assertEquals(0, ss.waitFor());
            assertFalse(listening.isEmpty(), "ss shows the node's sockets");
            List<String> locals = listening.stream().map(line -> line.trim().split("\\s+")[3]).toList();
            for (String local : locals) {
                assertTrue(local.startsWith("127.0.0.1:") || local.startsWith("[::ffff:127.0.0.1]:"),
                        "listens on loopback (the configured interface) only, not " + local + ": " + listening);
            }
            String clusterPort = ":" + CLUSTER_PORTS[node == nodes[0] ? 0 : 1];
            assertTrue(locals.stream().anyMatch(local -> local.endsWith(clusterPort)),
                    "the cluster port is among them: " + listening);
        }
    }

    @Test
    @Order(4)
    void aPasswordGuessedAtOnEveryNodeIsThrottledAsOne() {
        String username = onA.api().newUser("Pw").getJsonObject("user").getString("username");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Api node = (i % 2 == 0 ? onA : onB).api();
            statuses.add(node.post("api/v1/auth/login", Api.json(Map.of("username", username, "password", "guess" + i)),
                    null).status());
        }
        assertEquals(List.of(401, 401, 401, 401, 401), statuses.subList(0, 5), "five free failures, spread over two nodes");
        assertTrue(statuses.subList(5, 8).contains(429), "then throttled, whichever node is asked: " + statuses);
    }

    @Test
    @Order(5)
    void aTokenRevokedOnOneNodeIsRefusedByEveryNodeAtOnceThoughItWasCachedThere() {
        Api a = onA.api();
        Api b = onB.api();
        String session = a.newUser("Rv").getString("token");
        b.get("api/v1/auth/me", session).expect(200); // node B reads the store and caches the token
        b.get("api/v1/auth/me", session).expect(200); // and answers from its cache
        a.post("api/v1/auth/logout", null, session).expect(204);
        assertEquals("invalid_token", b.get("api/v1/auth/me", session).expect(401).error(),
                "logged out on node A, refused by node B right after, with no wait");

        // a removal: the participant's token, cached by node B at the join there, dies on B with the removal on A
        Hosted meeting = hosted(onA, "Host");
        Member bob = onB.enter(meeting.code(), "Bob");
        String bobsToken = bob.token();
        // /auth/me is for accounts: a live participant token is refused as the wrong kind, a dead one as invalid
        assertEquals("insufficient_scope", b.get("api/v1/auth/me", bobsToken).expect(403).error());
        meeting.host().socket().send(Map.of("type", "host", "action", "remove", "target", bob.id()));
        assertEquals(4403, bob.socket().awaitClose());
        assertEquals("invalid_token", b.get("api/v1/auth/me", bobsToken).expect(401).error(),
                "the removed participant's token is dead on the node that cached it");
    }

    @Test
    @Order(6)
    void throughTheBalancerEveryoneMeetsWhicheverNodeTheyLandOn() {
        MeetingClient viaBalancer = client(balancer.base());
        Hosted meeting = hosted(viaBalancer, "Lb");
        String code = meeting.code();
        Member host = meeting.host();
        List<Member> guests = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // round robin: REST calls and sockets land on both nodes
            guests.add(viaBalancer.enter(code, "G" + i));
        }
        for (Member guest : guests) {
            host.socket().send(Map.of("type", "signal", "to", guest.id(), "data", Json.createObjectBuilder().add("hi", guest.id()).build()));
            assertEquals(guest.id(), guest.socket().await("signal").getJsonObject("data").getString("hi"));
        }
        assertEquals(4, host.socket().all("participant-joined").size());
    }

    @Test
    @Order(7)
    void aKilledNodesParticipantsReconnectElsewhereAndNobodySeesThemLeave() throws Exception {
        Hosted meeting = hosted(onA, "Kh");
        String code = meeting.code();
        Member host = meeting.host();
        Member bob = onB.enter(code, "Bob"); // comes back
        Member gone = onB.enter(code, "Gone"); // never comes back
        host.socket().await(m -> "participant-joined".equals(m.getString("type"))
                && gone.id().equals(m.getJsonObject("participant").getString("id")), "Gone joined");

        nodes[1].kill(); // SIGKILL: no goodbye from node B
        alive--;
        long killed = System.nanoTime();
        bob.socket().awaitClose();
        MeetingClient viaBalancer = client(balancer.base());
        WsClient back = viaBalancer.open(code); // the balancer finds node B down and takes it to A
        JsonObject welcome = back.join(bob.token());
        long reconnectMillis = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(welcome.getBoolean("resumed"), "Bob kept his seat across the node's death");
        back.send(Map.of("type", "chat", "text", "typed meanwhile", "clientId", "m1"));
        back.send(Map.of("type", "chat", "text", "typed meanwhile", "clientId", "m1")); // the client's re-send
        host.socket().await(m -> "typed meanwhile".equals(m.getString("text", null)), "the chat after the move");
        host.socket().send(Map.of("type", "signal", "to", bob.id(), "data", Json.createObjectBuilder().add("after", "kill").build()));
        back.await("signal");

        // the dead node's other seat is reclaimed after the grace period, by the node left
        String left = host.socket().await(m -> "participant-left".equals(m.getString("type")), "the lost seat reclaimed")
                .getString("id");
        long reclaimedMillis = (System.nanoTime() - killed) / 1_000_000;
        assertEquals(gone.id(), left, "only the one who never came back leaves");
        Servers.sleep(500);
        assertEquals(1, host.socket().all("participant-left").size(), "nobody saw Bob leave");
        assertEquals(1, texts(host.socket(), "typed meanwhile"), "the chat typed meanwhile arrived once");
        assertTrue(reclaimedMillis >= GRACE_MILLIS, "not before the grace period: " + reclaimedMillis + " ms");
        System.out.println("ClusterIT: back in the meeting " + reconnectMillis + " ms after node B was killed; "
                + "its lost seat reclaimed after " + reclaimedMillis + " ms");
    }

    @Test
    @Order(8)
    void aNodeAddedToTheRunningClusterServesAtOnce() throws Exception {
        Hosted meeting = hosted(onA, "Nc");
        String code = meeting.code();
        Member host = meeting.host();
        nodes[2] = node(2);
        awaitMembers(nodes[2], ++alive);
        balancer.add(nodes[2].base());
        Member newcomer = client(nodes[2].base()).enter(code, "New");
        assertEquals(host.id(), newcomer.welcome().getJsonArray("participants").getJsonObject(0).getString("id"));
        host.socket().send(Map.of("type", "signal", "to", newcomer.id(), "data", Json.createObjectBuilder().add("to", "C").build()));
        newcomer.socket().await("signal");
    }

    @Test
    @Order(9)
    void browsersOnTwoNodesStayInTheirMeetingsWhenTheHostsNodeIsKilledOnTheMeshAndOnTheSfu() throws Exception {
        ConfabServer doomed = nodes[2]; // the host's node, and the one that drives the SFU room
        ConfabServer survivor = nodes[0];
        URI viaDoomed = ns.reach(balancer.entrance(doomed.base()));
        URI viaSurvivor = ns.reach(balancer.entrance(survivor.base()));
        Chromium browser = chromium();

        // a mesh meeting: the host on C, the guest on A
        MeetingPage host = browser.person(viaDoomed, TINY_VIDEO).signUp("hc" + System.nanoTime() % 100_000_000, "Hanna Host");
        String code = host.newMeeting();
        host.joinNow();
        MeetingPage guest = browser.person(viaSurvivor, TINY_VIDEO).joinByLink(code, "Gus Guest");
        String hostId = host.selfId();
        String guestId = guest.selfId();
        host.awaitRemoteTiles(1);
        guest.assertReceivesMediaFrom(hostId);
        host.assertReceivesMediaFrom(guestId);
        assertEquals("mesh", guest.media(hostId).get("via"));
        guest.chat("from node A", null);
        host.button("Chat").click();
        host.chatMessage("from node A").waitFor();

        // a meeting through the SFU: its third person joins on C, which opens the SFU room and drives it
        MeetingPage sam = browser.person(viaSurvivor, TINY_VIDEO).signUp("hs" + System.nanoTime() % 100_000_000, "Sam Sfu");
        String sfuCode = sam.newMeeting();
        sam.joinNow();
        MeetingPage pia = browser.person(viaSurvivor, TINY_VIDEO).joinByLink(sfuCode, "Pia Peer");
        MeetingPage cas = browser.person(viaDoomed, TINY_VIDEO).joinByLink(sfuCode, "Cas Third");
        List<MeetingPage> onSfu = List.of(sam, pia, cas);
        for (MeetingPage person : onSfu) {
            for (MeetingPage other : onSfu) {
                if (other != person) {
                    person.awaitMediaVia(other.selfId(), "sfu");
                }
            }
        }
        assertTrue(doomed.log().contains("SFU room opened for meeting " + sfuCode), "node C drives the SFU room");

        List<MeetingPage> everyone = List.of(host, guest, sam, pia, cas);
        for (MeetingPage page : everyone) {
            page.page().evaluate("() => { window.samePage = true; window.left = [];" // gone after a reload
                    + " window.confabMeeting.addEventListener('participant-left', e => window.left.push(e.detail.id)); }");
        }
        // who watches whose video: both ends of the mesh, and through the SFU the dead node's person and two on A
        List<Watch> onMesh = List.of(new Watch(guest, host), new Watch(host, guest));
        List<Watch> throughSfu = List.of(new Watch(sam, cas), new Watch(cas, sam), new Watch(pia, sam));
        onMesh.forEach(Watch::start);
        throughSfu.forEach(Watch::start);

        doomed.kill(); // SIGKILL, mid-call
        alive--;
        long killed = System.nanoTime();
        for (MeetingPage page : List.of(host, cas)) {
            page.page().getByText("Reconnected").waitFor();
        }
        long backMillis = (System.nanoTime() - killed) / 1_000_000;
        survivor.awaitLog("Took over the SFU room of meeting " + sfuCode, Duration.ofSeconds(30));
        long adoptedMillis = (System.nanoTime() - killed) / 1_000_000;
        Servers.sleep(2000); // media must go on well past the takeover
        // browser to browser, and browser to Janus: neither passes through a Confab node. Every tile still shows the
        // track it showed before (no connection was replaced), and its frames kept decoding.
        double meshStall = longestStall(onMesh, MESH_STALL_LIMIT_MS, "in the mesh while the host's node died");
        double sfuStall = longestStall(throughSfu, SFU_STALL_LIMIT_MS, "through the SFU while its driver died");

        // node A now drives the room: someone new gets everyone's media and everyone gets theirs
        MeetingPage dan = browser.person(viaSurvivor, TINY_VIDEO).joinByLink(sfuCode, "Dan Late");
        for (MeetingPage person : onSfu) {
            person.awaitMediaVia(dan.selfId(), "sfu");
            person.assertReceivesMediaFrom(dan.selfId());
        }
        dan.assertReceivesMediaFrom(onSfu.stream().map(MeetingPage::selfId).toList());

        // the mesh meeting goes on through node A: chat arrives once, and the host ends it
        host.chat("after the move", null);
        guest.chatMessage("after the move").waitFor();
        assertEquals(1, guest.chatMessage("from node A").count());
        for (MeetingPage page : everyone) {
            assertEquals(Boolean.TRUE, page.page().evaluate("() => window.samePage"), "no reload");
            assertEquals(List.of(), page.page().evaluate("() => window.left"), "nobody was shown leaving");
        }
        host.button("Participants").click();
        host.button("End meeting for all").click();
        guest.heading("This meeting has ended").waitFor();
        System.out.printf("ClusterIT browsers: back in the meeting %d ms after the host's node was killed; its SFU room "
                + "taken over after %d ms; longest decoder stall %.0f ms on the mesh, %.0f ms through the SFU%n",
                backMillis, adoptedMillis, meshStall, sfuStall);
    }

    /** One browser for every browser test, in the namespace with Janus; started when first needed. */
    private static Chromium chromium() {
        if (chromium == null) {
            chromium = Chromium.inNamespace(ns, dir);
        }
        return chromium;
    }

    /** A new meeting made through {@code client} whose host (a new account named {@code name}) has joined it there. */
    /** {@code viewer}'s tile of {@code sender}'s video, watched from before a node's death to after it. */
    private record Watch(MeetingPage viewer, MeetingPage sender) {
        void start() {
            viewer.watchFrames(sender.selfId());
            viewer.watchDecoding(sender.selfId());
        }
    }

    /** Each watched tile kept its video track, and its decoder kept going; the longest stall among them. */
    private static double longestStall(List<Watch> watches, double limitMillis, String during) {
        double longest = 0;
        for (Watch watch : watches) {
            watch.viewer().assertSameVideoTrackSinceWatch(watch.sender().selfId(), during);
        }
        for (Watch watch : watches) {
            longest = Math.max(longest, watch.viewer().assertDecoderKeptGoing(watch.sender().selfId(), limitMillis, during));
        }
        return longest;
    }

    record Hosted(String code, Member host) {
    }

    private static Hosted hosted(MeetingClient client, String name) {
        String session = client.api().newUser(name).getString("token");
        String code = client.newMeeting(session);
        return new Hosted(code, client.enterAsHost(code, session));
    }

    private static long texts(WsClient socket, String text) {
        return socket.all("chat").stream().filter(m -> text.equals(m.getString("text", null))).count();
    }
}
