package dev.confab.it;

import dev.confab.it.support.Chromium;
import dev.confab.it.support.MeetingPage;
import dev.confab.it.support.ConfabServer;
import dev.confab.it.support.Servers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.confab.it.support.Elapsed.millisSince;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A deploy in the middle of a call: Confab (its own Payara Micro or WildFly, same port, same data directory) is stopped and
 * started again while two people talk. Both must be back in the meeting by themselves, without a reload, with
 * media flowing and the chat history intact.
 */
@Tag("core") // also run on WildFly (pom.xml)
class ServerRestartIT {

    private static final Path WORK = Path.of(System.getProperty("confab.it.dir", "target/it"));

    @Test
    void aRestartDuringACallBringsBothBackWithMediaAndChat() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(WORK), "server-restart");
        int port = Servers.freePort();
        Map<String, String> config = Map.of("confab.data.dir", dir.resolve("data").toString(),
                "confab.auth.bcrypt-cost", "10");
        ConfabServer first = Servers.start(dir, config, port);
        URI app = first.base();
        try (Chromium chromium = new Chromium()) {
            MeetingPage host = chromium.hostOfNewMeeting(app);
            String code = host.meetingCode();
            MeetingPage guest = chromium.person(app, Chromium.LOW_VIDEO).joinByLink(code, "Gus Guest");
            String hostId = host.selfId();
            String guestId = guest.selfId();
            host.awaitRemoteTiles(1);
            host.assertReceivesMediaFrom(guestId);
            guest.chat("before the restart", null);
            host.button("Chat").click();
            host.chatMessage("before the restart").waitFor();
            Map<MeetingPage, String> other = Map.of(host, guestId, guest, hostId);
            Map<MeetingPage, Object> peerSessions = new HashMap<>();
            for (MeetingPage page : List.of(host, guest)) {
                page.page().evaluate("() => { window.samePage = true; window.left = [];" // gone after a reload
                        + " window.confabMeeting.addEventListener('participant-left', e => window.left.push(e.detail.id)); }");
                peerSessions.put(page, peerSession(page, other.get(page)));
            }

            long stoppedAt = System.nanoTime();
            first.close(); // SIGTERM, as a deploy does
            for (MeetingPage page : List.of(host, guest)) {
                page.page().getByText("Connection lost. Reconnecting…").waitFor();
            }
            long downMillis = millisSince(stoppedAt);
            // media is peer to peer: it goes on while the server is away
            double framesAtStop = MeetingPage.number(host.media(guestId), "framesDecoded");
            Servers.sleep(2000);
            double framesWhileDown = MeetingPage.number(host.media(guestId), "framesDecoded");
            assertTrue(framesWhileDown > framesAtStop, "frames decoded while the server was down: "
                    + framesAtStop + " → " + framesWhileDown);
            try (ConfabServer second = Servers.start(dir, config, port)) {
                long readyAt = System.nanoTime();
                for (MeetingPage page : List.of(host, guest)) {
                    page.page().getByText("Reconnected").waitFor();
                }
                assertEquals(List.of(guestId), host.awaitRemoteTiles(1));
                assertEquals(List.of(hostId), guest.awaitRemoteTiles(1));
                long backMillis = millisSince(readyAt);
                host.assertReceivesMediaFrom(guestId);
                guest.assertReceivesMediaFrom(hostId);
                long mediaMillis = millisSince(readyAt);
                System.out.printf("Server restart: down %d ms after the stop began; media went on meanwhile (%.0f → %.0f "
                        + "frames in 2 s); both back in the meeting %d ms and media checked both ways %d ms after the "
                        + "new server was ready (%d ms in all)%n", downMillis, framesAtStop, framesWhileDown,
                        backMillis, mediaMillis, millisSince(stoppedAt));

                for (MeetingPage page : List.of(host, guest)) {
                    assertEquals(Boolean.TRUE, page.page().evaluate("() => window.samePage"), "no reload");
                    assertEquals(List.of(), page.page().evaluate("() => window.left"), "nobody was shown leaving");
                    assertEquals(peerSessions.get(page), peerSession(page, other.get(page)),
                            "the same peer connection all along: media was never renegotiated");
                }
                assertEquals(1, host.chatMessage("before the restart").count());
                host.chat("after the restart", null);
                guest.chatMessage("after the restart").waitFor();
                // the history lives in the store: someone new sees what was said before the restart
                MeetingPage late = chromium.person(second.base(), Chromium.LOW_VIDEO).joinByLink(code, "Lee Late");
                late.button("Chat").click();
                late.chatMessage("before the restart").waitFor();
                late.chatMessage("after the restart").waitFor();
                assertEquals(2, late.awaitRemoteTiles(2).size());
            }
        } finally {
            first.close();
        }
    }

    /** The session id of this page's peer connection with another participant. */
    private static Object peerSession(MeetingPage page, String participantId) {
        return page.page().evaluate("id => window.confabMeeting.peers.get(id)?.sid", participantId);
    }
}
