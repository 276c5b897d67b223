package dev.confab.it;

import dev.confab.it.support.Chromium;
import dev.confab.it.support.ConfabWar;
import dev.confab.it.support.MeetingPage;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The browser client end to end: real pages in headless Chromium with fake camera and microphone, against the
 * WAR on Payara Micro, with real WebRTC media between the participants' browsers.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ConfabWar.asRoot();
    }

    static Chromium chromium;

    @ArquillianResource
    URL base;

    URI app;

    @BeforeAll
    static void launch() {
        chromium = new Chromium();
    }

    @AfterAll
    static void shutDown() {
        chromium.close();
    }

    @BeforeEach
    void app() {
        app = ConfabWar.loopback(base);
    }

    @AfterEach
    void closePeople() {
        chromium.closeContexts();
    }

    private static String username(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void hostAndGuestSeeAndHearEachOther() {
        MeetingPage host = chromium.person(app, null).signUp(username("host"), "Hanna Host");
        String code = host.newMeeting();
        assertEquals("Hanna Host", host.page().getByLabel("Display name").inputValue(), "prefilled when signed in");
        host.joinNow();

        MeetingPage guest = chromium.person(app, null).joinByLink(code, "Gus Guest");
        String hostId = host.selfId();
        String guestId = guest.selfId();
        assertEquals(List.of(guestId), host.awaitRemoteTiles(1));
        assertEquals(List.of(hostId), guest.awaitRemoteTiles(1));

        host.assertReceivesMediaFrom(guestId);
        guest.assertReceivesMediaFrom(hostId);
        assertTrue(host.tile(guestId).textContent().contains("Gus Guest"));
        assertTrue(guest.tile(hostId).textContent().contains("Hanna Host"));
    }
}
