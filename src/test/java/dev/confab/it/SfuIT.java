package dev.confab.it;

import dev.confab.it.support.Chromium;
import dev.confab.it.support.JanusServer;
import dev.confab.it.support.MeetingPage;
import dev.confab.it.support.NetworkNamespace;
import dev.confab.it.support.PayaraMicro;
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
            for (String id : ids) {
                if (id.equals(person.selfId())) {
                    continue;
                }
                person.assertReceivesMediaFrom(id);
                Map<String, Object> media = person.media(id);
                assertEquals("sfu", media.get("via"), "received through the SFU: " + media);
                long port = ((Number) media.get("remotePort")).longValue();
                assertTrue(janus.inRtpRange(port), "the media comes from Janus's RTP ports: " + media);
            }
            int connections = ((Number) person.page().evaluate("() => window.confabMeeting.connectionCount()")).intValue();
            assertTrue(connections <= 3, "at most 3 peer connections per page, not " + connections);
        }
    }
}
