package dev.confab.it;

import dev.confab.it.support.Chromium;
import dev.confab.it.support.JanusServer;
import dev.confab.it.support.MeetingPage;
import dev.confab.it.support.NetworkNamespace;
import dev.confab.it.support.PayaraMicro;
import dev.confab.it.support.Servers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Large meetings through the SFU: Janus, Confab on Payara Micro and Chromium all inside a network namespace of the
 * test's own (Janus's ICE ignores loopback), the people driven through the UI. The meeting's mesh holds two
 * ({@code confab.sfu.mesh-max=2}), so the third arrival moves it to Janus.
 */
class SfuIT {

    private static final Path WORK = Path.of(System.getProperty("confab.it.dir", "target/it"));
    /** 160×120: six pages encode and decode on two cores. */
    private static final String TINY_VIDEO = "{\"videoHeight\":120}";

    static NetworkNamespace ns;
    static JanusServer janus;
    static PayaraMicro confab;
    static Chromium chromium;
    static URI app;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory(Files.createDirectories(WORK), "sfu");
        ns = NetworkNamespace.create(dir);
        janus = JanusServer.start(ns, dir);
        confab = PayaraMicro.inNamespace(ns, dir, Map.of(
                "confab.data.dir", dir.resolve("data").toString(),
                "confab.auth.bcrypt-cost", "10",
                "confab.sfu.url", janus.url().toString(),
                "confab.sfu.api-secret", janus.apiSecret(),
                "confab.sfu.admin-key", janus.adminKey(),
                "confab.sfu.mesh-max", "2",
                "confab.sfu.mesh-return-delay", "PT3S"), 8080);
        app = confab.base();
        chromium = Chromium.inNamespace(ns, dir);
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (confab != null) {
            confab.close();
        }
        if (janus != null) {
            janus.close();
        }
        if (ns != null) {
            ns.close();
        }
    }

    @AfterEach
    void closePeople() {
        chromium.closeContexts();
    }

    @Test
    void sixPeopleAllReceiveEachOtherThroughJanus() {
        MeetingPage host = chromium.person(app, TINY_VIDEO).signUp("host_" + System.nanoTime() % 100000000, "Hanna Host");
        String code = host.newMeeting();
        host.joinNow();
        List<MeetingPage> people = new ArrayList<>(List.of(host));
        for (int i = 1; i < 6; i++) {
            people.add(chromium.person(app, TINY_VIDEO).joinByLink(code, "Person " + i));
        }
        List<String> ids = people.stream().map(MeetingPage::selfId).toList();
        for (MeetingPage person : people) {
            person.awaitRemoteTiles(5);
        }
        for (MeetingPage person : people) {
            List<String> others = ids.stream().filter(id -> !id.equals(person.selfId())).toList();
            person.assertReceivesMediaFrom(others);
            for (String id : others) {
                Map<String, Object> media = person.media(id);
                assertEquals("sfu", media.get("via"), "received through the SFU: " + media);
                long port = ((Number) media.get("remotePort")).longValue();
                assertTrue(janus.inRtpRange(port), "the media comes from Janus's RTP ports: " + media);
            }
            int connections = ((Number) person.page().evaluate("() => window.confabMeeting.connectionCount()")).intValue();
            assertTrue(connections <= 3, "at most 3 peer connections per page, not " + connections);
        }
    }

    @Test
    void theMeetingMovesToTheSfuPastTheMeshAndBackWhenSmallWithoutAGap() {
        MeetingPage host = host();
        String code = host.meetingCode();
        MeetingPage guest = chromium.person(app, TINY_VIDEO).joinByLink(code, "Gus Guest");
        String hostId = host.selfId();
        String guestId = guest.selfId();
        host.awaitRemoteTiles(1);
        host.assertReceivesMediaFrom(guestId);
        guest.assertReceivesMediaFrom(hostId);
        assertEquals("mesh", host.media(guestId).get("via"), "two people: a mesh");
        watchFrames(host, guestId);
        watchFrames(guest, hostId);

        MeetingPage third = chromium.person(app, TINY_VIDEO).joinByLink(code, "Tess Third");
        awaitVia(host, guestId, "sfu");
        awaitVia(guest, hostId, "sfu");
        host.page().waitForFunction("() => window.confabMeeting.peers.size === 0", null,
                new com.microsoft.playwright.Page.WaitForFunctionOptions().setTimeout(30_000));
        host.assertReceivesMediaFrom(third.selfId());
        third.assertReceivesMediaFrom(hostId);
        assertEquals("sfu", third.media(hostId).get("via"));
        assertNoGap(host, guestId, "moving to the SFU");
        assertNoGap(guest, hostId, "moving to the SFU");

        watchFrames(host, guestId);
        watchFrames(guest, hostId);
        third.button("Leave").click();
        third.menuItem("Leave meeting").click();
        awaitVia(host, guestId, "mesh");
        awaitVia(guest, hostId, "mesh");
        host.page().waitForFunction("() => window.confabMeeting.sfu === null && window.confabMeeting.connectionCount() === 1",
                null, new com.microsoft.playwright.Page.WaitForFunctionOptions().setTimeout(30_000));
        host.assertReceivesMediaFrom(guestId);
        guest.assertReceivesMediaFrom(hostId);
        assertNoGap(host, guestId, "returning to the mesh");
        assertNoGap(guest, hostId, "returning to the mesh");
    }

    @Test
    void theLobbyHoldsNewcomersOffTheSfuUntilAdmittedThenTheirMediaGoesThroughIt() {
        MeetingPage host = chromium.person(app, TINY_VIDEO).signUp("host_" + System.nanoTime() % 100000000, "Hanna Host");
        host.page().getByLabel("Waiting room: I let people in myself").check();
        String code = host.newMeeting();
        host.joinNow();
        host.button("Participants").click();
        MeetingPage guest = chromium.person(app, TINY_VIDEO).joinByLink(code, "Gus Guest");
        host.button("Admit Gus Guest").click();
        String guestId = guest.selfId();
        host.awaitRemoteTiles(1);
        MeetingPage third = chromium.person(app, TINY_VIDEO).joinByLink(code, "Tess Third");
        third.heading("Waiting to be let in").waitFor();
        host.button("Admit Tess Third").waitFor();
        // a waiting person holds no seat: two in the room are still a mesh, and the lobby publishes nothing
        assertEquals("mesh", host.page().evaluate("() => window.confabMeeting.mode"));
        assertEquals(0, ((Number) third.page().evaluate("() => window.confabMeeting.connectionCount()")).intValue());

        host.button("Admit Tess Third").click();
        String thirdId = third.selfId();
        awaitVia(third, host.selfId(), "sfu");
        third.assertReceivesMediaFrom(host.selfId());
        third.assertReceivesMediaFrom(guestId);
        awaitVia(host, thirdId, "sfu");
        host.assertReceivesMediaFrom(thirdId);
    }

    @Test
    void whomTheHostRemovesStopsReachingAnyoneAtTheSfu() {
        List<MeetingPage> people = meetingOf("Gus Guest", "Ivan Intruder");
        MeetingPage host = people.get(0);
        MeetingPage guest = people.get(1);
        MeetingPage intruder = people.get(2);
        String intruderId = intruder.selfId();
        awaitVia(guest, intruderId, "sfu");
        guest.assertReceivesMediaFrom(intruderId);
        // a browser that ignores being removed: it keeps its connections with the SFU open and sending
        intruder.page().evaluate("() => { const c = window.confabMeeting; window.kept = c; c.finish = () => {}; c.sfu.close = () => {}; }");

        host.button("Participants").click();
        host.button("Remove Ivan Intruder").click();
        guest.waitGone(intruderId);

        // the SFU hung up on it: its sending connection dies though its page did nothing
        intruder.page().waitForFunction("() => ['closed', 'failed', 'disconnected'].includes(window.kept.sfu?.up?.connectionState)",
                null, new com.microsoft.playwright.Page.WaitForFunctionOptions().setTimeout(10_000));
        // and what it may still send goes nowhere: the others' packets from it stop
        String packets = "id => window.confabMeeting.sfu.packetsFrom(id)";
        Servers.sleep(500);
        long before = ((Number) guest.page().evaluate(packets, intruderId)).longValue();
        Servers.sleep(1500);
        long after = ((Number) guest.page().evaluate(packets, intruderId)).longValue();
        assertEquals(before, after, "no packet of the removed participant reaches the others");
    }

    @Test
    void whenJanusRestartsMidCallMediaComesBackByItself() throws Exception {
        MeetingPage host = host();
        String code = host.meetingCode();
        MeetingPage guest = chromium.person(app, TINY_VIDEO).joinByLink(code, "Gus Guest");
        MeetingPage third = chromium.person(app, TINY_VIDEO).joinByLink(code, "Tess Third");
        String hostId = host.selfId();
        String guestId = guest.selfId();
        awaitVia(host, guestId, "sfu");
        awaitVia(guest, hostId, "sfu");
        host.assertReceivesMediaFrom(guestId);

        for (MeetingPage person : List.of(host, guest, third)) {
            person.page().evaluate("() => { window.sfuBefore = window.confabMeeting.sfu; }");
        }
        long killed = System.nanoTime();
        janus.kill();
        long restarted = System.nanoTime();
        janus.restart();
        for (MeetingPage person : List.of(host, guest, third)) {
            for (MeetingPage other : List.of(host, guest, third)) {
                if (other != person) {
                    String id = other.selfId();
                    awaitMediaThroughNewSfuConnections(person, id);
                }
            }
        }
        long back = dev.confab.it.support.Elapsed.millisSince(restarted);
        System.out.println("Media back through the restarted Janus " + back + " ms after its restart began ("
                + dev.confab.it.support.Elapsed.millisSince(killed) + " ms after it was killed)");
        assertTrue(back < 10_000, "media back within 10 s of Janus's restart, not " + back + " ms");
        host.assertReceivesMediaFrom(guestId);
        third.assertReceivesMediaFrom(hostId);
    }

    @Test
    void aPageReceivesAtMostItsVideoLimitTheSpeakerAmongThemAndHearsEveryone() {
        MeetingPage host = chromium.person(app, "{\"videoHeight\":120,\"maxVideos\":2}")
                .signUp("host_" + System.nanoTime() % 100000000, "Hanna Host");
        String code = host.newMeeting();
        host.joinNow();
        List<MeetingPage> guests = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            guests.add(chromium.person(app, TINY_VIDEO).joinByLink(code, "Person " + i));
        }
        List<String> ids = guests.stream().map(MeetingPage::selfId).toList();
        host.button("Microphone").click(); // only the last one talks
        guests.get(0).button("Microphone").click();
        guests.get(1).button("Microphone").click();
        String talker = ids.get(2);
        awaitVia(host, talker, "sfu");

        long start = System.nanoTime();
        List<String> video = flowing(host, ids, "video");
        while (!(video.size() == 2 && video.contains(talker)) && dev.confab.it.support.Elapsed.millisSince(start) < 30_000) {
            video = flowing(host, ids, "video");
        }
        assertEquals(2, video.size(), "two videos arrive, as the page asked: " + video);
        assertTrue(video.contains(talker), "the one talking is among them: " + video);
        assertEquals(Set.copyOf(ids), Set.copyOf(flowing(host, ids, "audio")), "everyone is heard");
        List<String> received = video;
        String unseen = ids.stream().filter(id -> !received.contains(id)).findFirst().orElseThrow();
        assertEquals("not-received", host.tile(unseen).getAttribute("data-video"), "the third is a name tile");
        assertTrue(host.tile(unseen).locator(".avatar").isVisible());
        // the others, without a limit of their own, receive everyone's video
        assertEquals(3, flowing(guests.get(0), List.of(host.selfId(), ids.get(1), ids.get(2)), "video").size());
    }

    @Test
    void aHostsMuteSilencesAtTheSfuUntilTheParticipantUnmutesItself() {
        List<MeetingPage> people = meetingOf("Gus Guest", "Lou Loud");
        MeetingPage host = people.get(0);
        MeetingPage guest = people.get(1);
        MeetingPage loud = people.get(2);
        String loudId = loud.selfId();
        awaitVia(guest, loudId, "sfu");
        assertEquals(List.of(loudId), flowing(guest, List.of(loudId), "audio"));
        // a browser that ignores the host's mute request
        loud.page().evaluate("() => { const c = window.confabMeeting; const receive = c.onMessage.bind(c);"
                + " c.onMessage = (m) => { if (m.type !== 'mute-request') receive(m); }; }");

        host.button("Participants").click();
        host.button("Mute Lou Loud").click();
        long start = System.nanoTime();
        while (!flowing(guest, List.of(loudId), "audio").isEmpty()
                && dev.confab.it.support.Elapsed.millisSince(start) < 10_000) {
            Servers.sleep(200);
        }
        assertEquals(List.of(), flowing(guest, List.of(loudId), "audio"), "its audio stops at the SFU");
        assertEquals("on", loud.tile(loud.selfId()).getAttribute("data-mic"), "though its page kept the microphone on");

        loud.button("Microphone").click(); // off, and on again: its own choice to speak
        loud.button("Microphone").click();
        start = System.nanoTime();
        while (flowing(guest, List.of(loudId), "audio").isEmpty()
                && dev.confab.it.support.Elapsed.millisSince(start) < 10_000) {
            Servers.sleep(200);
        }
        assertEquals(List.of(loudId), flowing(guest, List.of(loudId), "audio"), "heard again once it unmutes itself");
    }

    @Test
    void withJanusDownALargeMeetingStaysOnTheMeshAndTheHostIsTold() throws Exception {
        janus.kill();
        try {
            MeetingPage host = host();
            String code = host.meetingCode();
            MeetingPage guest = chromium.person(app, TINY_VIDEO).joinByLink(code, "Gus Guest");
            MeetingPage third = chromium.person(app, TINY_VIDEO).joinByLink(code, "Tess Third");
            host.page().getByText("the media server is unreachable").waitFor();
            host.assertReceivesMediaFrom(third.selfId());
            third.assertReceivesMediaFrom(guest.selfId());
            assertEquals("mesh", host.media(third.selfId()).get("via"), "still browser to browser");
            assertEquals("mesh", third.media(host.selfId()).get("via"));
        } finally {
            janus.restart();
        }
    }

    @Test
    void aSharedScreenIsAStreamOfItsOwnThroughTheSfu() {
        MeetingPage host = host();
        String code = host.meetingCode();
        MeetingPage guest = chromium.person(app, TINY_VIDEO).joinByLink(code, "Gus Guest");
        chromium.person(app, TINY_VIDEO).joinByLink(code, "Tess Third");
        String hostId = host.selfId();
        awaitVia(guest, hostId, "sfu");
        guest.assertReceivesMediaFrom(hostId);
        double cameraWidth = MeetingPage.number(guest.media(hostId), "videoWidth");
        String screens = "id => [...window.confabMeeting.sfu.streamsByMid.values()]"
                + ".filter(o => o.participant === id && o.source === 'screen' && o.kind === 'video').length";

        host.button("Share screen").click();
        host.page().getByText("You are presenting").waitFor();
        guest.page().waitForFunction("([id, w]) => document.querySelector(`.stage [data-participant=\"${id}\"] video`).videoWidth !== w",
                List.of(hostId, cameraWidth));
        guest.assertReceivesMediaFrom(hostId); // the screen's frames
        assertEquals(1, ((Number) guest.page().evaluate(screens, hostId)).intValue(), "the screen comes as a stream of its own");
        assertEquals(3, ((Number) host.page().evaluate("() => window.confabMeeting.connectionCount()")).intValue(),
                "the sharer sends camera and screen, and receives: three connections");

        host.button("Stop presenting").click();
        guest.page().waitForFunction("([id, w]) => document.querySelector(`.stage [data-participant=\"${id}\"] video`).videoWidth === w",
                List.of(hostId, cameraWidth));
        guest.assertReceivesMediaFrom(hostId); // the camera's again
        assertEquals(0, ((Number) guest.page().evaluate(screens, hostId)).intValue(), "the screen's stream is gone");
        assertEquals(2, ((Number) host.page().evaluate("() => window.confabMeeting.connectionCount()")).intValue());
    }

    /** Whose streams of {@code kind} bring new packets to {@code page} over a second. */
    @SuppressWarnings("unchecked")
    private static List<String> flowing(MeetingPage page, List<String> ids, String kind) {
        return (List<String>) page.page().evaluate("async ([ids, kind]) => { const c = window.confabMeeting;"
                + " const read = () => Promise.all(ids.map(id => c.sfu ? c.sfu.packetsFrom(id, kind) : 0));"
                + " const a = await read(); await new Promise(r => setTimeout(r, 1000)); const b = await read();"
                + " return ids.filter((id, i) => b[i] > a[i]); }", List.of(ids, kind));
    }

    @Test
    void whenJanusHangsConfabNoticesAndMediaComesBackWhenItRecovers() throws Exception {
        MeetingPage host = host();
        String code = host.meetingCode();
        MeetingPage guest = chromium.person(app, TINY_VIDEO).joinByLink(code, "Gus Guest");
        chromium.person(app, TINY_VIDEO).joinByLink(code, "Tess Third");
        String hostId = host.selfId();
        String guestId = guest.selfId();
        awaitVia(host, guestId, "sfu");
        awaitVia(guest, hostId, "sfu");
        for (MeetingPage person : List.of(host, guest)) {
            person.page().evaluate("() => { window.sfuBefore = window.confabMeeting.sfu; }");
        }
        String notice = "did not answer a keep-alive";
        long seenBefore = confab.log().lines().filter(l -> l.contains(notice)).count();

        janus.freeze(true);
        long frozen = System.nanoTime();
        try {
            while (confab.log().lines().filter(l -> l.contains(notice)).count() == seenBefore
                    && dev.confab.it.support.Elapsed.millisSince(frozen) < 15_000) {
                Servers.sleep(100);
            }
            long noticed = dev.confab.it.support.Elapsed.millisSince(frozen);
            System.out.println("A hung Janus was noticed after " + noticed + " ms");
            assertTrue(noticed <= 5_000, "Confab notices a hung Janus within 5 s, not " + noticed + " ms");
        } finally {
            janus.freeze(false);
        }
        long thawed = System.nanoTime();
        for (MeetingPage person : List.of(host, guest)) {
            String other = person == host ? guestId : hostId;
            awaitMediaThroughNewSfuConnections(person, other);
        }
        System.out.println("Media back " + dev.confab.it.support.Elapsed.millisSince(thawed) + " ms after Janus resumed");
        host.assertReceivesMediaFrom(guestId);
    }

    /**
     * Frames from {@code id} decoded through SFU connections newer than those the page had when the test noted
     * them ({@code window.sfuBefore}): their counters start again from zero.
     */
    private static void awaitMediaThroughNewSfuConnections(MeetingPage person, String id) {
        person.awaitTrue("async id => { const c = window.confabMeeting;"
                + " if (!c.sfu || c.sfu === window.sfuBefore) return false;"
                + " const s = await c.stats(id);"
                + " return s?.via === 'sfu' && s.connectionState === 'connected' && s.framesDecoded > 10; }",
                id, 30_000);
    }

    /** A new host's meeting, and {@code names} joining it by its link, one after the other (small video). */
    private static List<MeetingPage> meetingOf(String... names) {
        MeetingPage host = host();
        List<MeetingPage> people = new ArrayList<>(List.of(host));
        for (String name : names) {
            people.add(chromium.person(app, TINY_VIDEO).joinByLink(host.meetingCode(), name));
        }
        return people;
    }

    private static MeetingPage host() {
        MeetingPage host = chromium.person(app, TINY_VIDEO).signUp("host_" + System.nanoTime() % 100000000, "Hanna Host");
        host.newMeeting();
        return host.joinNow();
    }

    private static void watchFrames(MeetingPage page, String id) {
        page.watchFrames(id);
    }

    /** Since {@link #watchFrames}, the tile never went more than 1 s without a new frame (up to now). */
    private static void assertNoGap(MeetingPage page, String id, String during) {
        page.assertFramesKeptComing(id, 1000, during);
    }

    private static void awaitVia(MeetingPage page, String id, String via) {
        page.awaitMediaVia(id, via);
    }
}
