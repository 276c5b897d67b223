package dev.confab.it;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.AriaRole;
import dev.confab.it.support.Chromium;
import dev.confab.it.support.MeetingPage;
import dev.confab.it.support.ConfabServer;
import dev.confab.it.support.Servers;
import dev.confab.it.support.TurnServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static dev.confab.it.support.Elapsed.millisSince;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Calls through TURN: the test runs its own coturn {@code turnserver} on 127.0.0.1 with a generated secret, and
 * Confab (its own Payara Micro or WildFly, configured with that TURN server and relay-only ICE) mints the credentials.
 * Media must flow through the relay on both sides, come back by ICE restart when the relay returns after an
 * outage, and fail with a clear message when the credentials are wrong.
 */
// on WildFly (pom.xml), the tests tagged "core": that the credentials its REST API mints are the relay's, and a wrong
// secret's clear message. The ICE restart and the pre-join check are the browser client's and the relay's alone.
class TurnIT {

    private static final Path WORK = Path.of(System.getProperty("confab.it.dir", "target/it"));
    private static final String SECRET = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));

    static Path dir;
    static int turnPort;
    static TurnServer turn;
    static String turnSecret = SECRET;
    static ConfabServer confab;
    static Chromium chromium;
    static URI app;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Files.createDirectories(WORK), "turn");
        turnPort = Servers.freePort();
        turn = TurnServer.start(dir, turnPort, SECRET);
        confab = Servers.start(dir, Map.of(
                "confab.data.dir", dir.resolve("data").toString(), "confab.auth.bcrypt-cost", "10",
                "confab.turn.urls", turn.url(), "confab.turn.secret", SECRET, "confab.ice.relay-only", "true"));
        app = confab.base();
        chromium = new Chromium();
    }

    @AfterAll
    static void stop() {
        Servers.closeAll(chromium, confab, turn);
    }

    @BeforeEach
    void relayWithTheRightSecret() throws Exception {
        restartTurn(SECRET);
    }

    @AfterEach
    void closePeople() {
        chromium.closeContexts();
    }

    @Test
    @Tag("core")
    void aRelayOnlyCallFlowsThroughTurnOnBothSides() throws Exception {
        Call call = newCall();
        call.host().assertReceivesMediaFrom(call.guestId());
        call.guest().assertReceivesMediaFrom(call.hostId());

        for (var side : Map.of(call.host(), call.guestId(), call.guest(), call.hostId()).entrySet()) {
            Map<String, Object> media = side.getKey().media(side.getValue());
            assertEquals("relay", media.get("localCandidateType"), "selected pair, this side: " + media);
            assertEquals("relay", media.get("remoteCandidateType"), "selected pair, other side: " + media);
        }
        // the relay saw each participant under the username Confab minted for it ("<expiry>:<participantId>")
        String log = turn.log();
        assertTrue(log.contains(":" + call.hostId()) && log.contains(":" + call.guestId()), "TURN users in " + log);
    }

    @Test
    void mediaComesBackByIceRestartWhenTheRelayReturns() throws Exception {
        Call call = newCall();
        call.host().assertReceivesMediaFrom(call.guestId());

        turn.close(); // the relay goes away mid-call: its allocations die with it
        long stoppedAt = System.nanoTime();
        Map<String, Object> frozen = awaitMedia(call.host(), call.guestId(), m -> !"connected".equals(m.get("connectionState")),
                "the host to notice the lost relay");
        long lostMillis = millisSince(stoppedAt);
        Servers.sleep(3000); // long enough for the clients' first ICE restarts to fail too

        turn = TurnServer.start(dir, turnPort, SECRET); // back on the same address
        long backAt = System.nanoTime();
        double framesBefore = MeetingPage.number(frozen, "framesDecoded");
        awaitMedia(call.host(), call.guestId(), m -> MeetingPage.number(m, "framesDecoded") > framesBefore + 10,
                "video frames from the guest again");
        long resumedMillis = millisSince(backAt);
        call.host().assertReceivesMediaFrom(call.guestId());
        call.guest().assertReceivesMediaFrom(call.hostId());
        Map<String, Object> host = call.host().media(call.guestId());
        Map<String, Object> guest = call.guest().media(call.hostId());
        assertTrue(MeetingPage.number(host, "iceRestarts") + MeetingPage.number(guest, "iceRestarts") > 0,
                "by ICE restart: " + host + " / " + guest);
        assertEquals("relay", host.get("localCandidateType"));
        System.out.printf("TURN outage: media loss seen after %d ms; media again %d ms after the relay returned "
                + "(ICE restarts: host %s, guest %s)%n", lostMillis, resumedMillis, host.get("iceRestarts"),
                guest.get("iceRestarts"));
    }

    @Test
    @Tag("core")
    void aWrongSecretFailsTheCallWithAClearMessage() throws Exception {
        restartTurn("not-" + SECRET); // Confab mints with its secret, the relay expects another
        Call call = newCall();
        for (MeetingPage person : new MeetingPage[] {call.host(), call.guest()}) {
            person.page().getByText("Could not connect media with").waitFor();
        }
        String shown = call.host().page().getByRole(AriaRole.ALERT)
                .filter(new Locator.FilterOptions().setHasText("Could not connect media")).textContent();
        assertTrue(shown.contains("Gus Guest"), shown);
        assertNotEquals("connected", call.host().media(call.guestId()).get("connectionState"));
        System.out.println("Wrong TURN secret, the host sees: " + shown);
    }

    /** The pre-join page's check has a verdict (its element exists once the page has rendered). */
    private static final String CHECK_DONE = "() => { const v = document.querySelector('.check-verdict');"
            + " return v !== null && v.dataset.level !== 'running'; }";

    @Test
    void thePreJoinCheckSaysInPlainWordsWhatWorksWithTheRelayUpAndDown() throws Exception {
        MeetingPage host = chromium.hostOfNewMeeting(app);
        String code = host.meetingCode();
        MeetingPage visitor = chromium.person(app, Chromium.LOW_VIDEO).openInvite(code);
        Locator verdict = visitor.page().locator(".check-verdict");
        visitor.page().waitForFunction(CHECK_DONE);
        assertEquals("good", verdict.getAttribute("data-level"), verdict.textContent());
        assertTrue(verdict.textContent().contains("relays your media through the server"), verdict.textContent());
        assertEquals("Relay over UDP: works", visitor.page().locator(".check-paths li").nth(1).textContent());
        visitor.page().screenshot(new com.microsoft.playwright.Page.ScreenshotOptions()
                .setPath(Path.of("target", "screenshots", "prejoin-check.png")));
        // the check's credentials are its own, never a participant's
        assertTrue(turn.log().contains(":check-"), "the relay saw the check's user");

        turn.close(); // the relay is down
        visitor.button("Check again").click();
        visitor.page().waitForFunction(CHECK_DONE);
        assertEquals("bad", verdict.getAttribute("data-level"), verdict.textContent());
        assertTrue(verdict.textContent().contains("relay server could not be reached from your network, and this server"
                + " sends all media through it"), verdict.textContent());
        assertEquals("Relay over UDP: blocked", visitor.page().locator(".check-paths li").nth(1).textContent());
        System.out.println("Connection check, relay down: " + verdict.textContent());
    }

    // ---------- helpers ----------

    private record Call(MeetingPage host, MeetingPage guest, String hostId, String guestId) {
    }

    private Call newCall() {
        MeetingPage host = chromium.hostOfNewMeeting(app);
        MeetingPage guest = chromium.person(app, Chromium.LOW_VIDEO).joinByLink(host.meetingCode(), "Gus Guest");
        String guestId = guest.selfId();
        host.awaitRemoteTiles(1);
        return new Call(host, guest, host.selfId(), guestId);
    }

    /** Makes sure the relay runs with this secret, restarting it on the same port if needed. */
    private static void restartTurn(String secret) throws Exception {
        if (turn.isAlive() && secret.equals(turnSecret)) {
            return;
        }
        turn.close();
        turn = TurnServer.start(dir, turnPort, secret);
        turnSecret = secret;
    }

    /** Polls one peer's media figures (getStats) until {@code done} holds; fails after 60 s. */
    private static Map<String, Object> awaitMedia(MeetingPage page, String peerId, Predicate<Map<String, Object>> done,
                                                  String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Map<String, Object> media = page.media(peerId);
        while (!done.test(media)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Waited 60 s for " + what + ": " + media + "; console: " + page.console());
            }
            Servers.sleep(200);
            media = page.media(peerId);
        }
        return media;
    }
}
