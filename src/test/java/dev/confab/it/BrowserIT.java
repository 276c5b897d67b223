package dev.confab.it;

import dev.confab.it.support.Chromium;
import dev.confab.it.support.ConfabWar;
import dev.confab.it.support.MeetingPage;
import dev.confab.it.support.Servers;
import dev.confab.it.support.SocketTap;
import dev.confab.it.support.SocketCutter;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.confab.it.support.Elapsed.millisSince;
import static dev.confab.it.support.Chromium.LOW_VIDEO;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The browser client end to end: real pages in headless Chromium with fake camera and microphone, against the
 * WAR (on Payara Micro; the tests tagged "core" on WildFly too), with real WebRTC media between the participants' browsers.
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
    @Tag("core") // also on WildFly
    void hostAndGuestSeeAndHearEachOther() {
        String hostName = username("host");
        MeetingPage host = chromium.person(app, null).signUp(hostName, "Hanna Host").signOutAndIn(hostName);
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

    @Test
    @Tag("core") // also on WildFly
    void chatGoesBothWaysWithPrivateMessagesAndAnUnreadBadge() {
        MeetingPage host = chromium.hostOfNewMeeting(app);
        String code = host.meetingCode();
        MeetingPage guest = chromium.person(app, LOW_VIDEO).joinByLink(code, "Gus Guest");
        MeetingPage third = chromium.person(app, LOW_VIDEO).joinByLink(code, "Tess Third");
        host.awaitRemoteTiles(2);

        host.chat("Hello everyone", null);
        guest.unreadBadge().waitFor();
        assertEquals("1", guest.unreadBadge().textContent());
        guest.button("Chat").click();
        guest.chatMessage("Hello everyone").waitFor();
        assertTrue(guest.unreadBadge().isHidden(), "reading the chat clears the badge");
        assertTrue(host.chatMessage("Hello everyone").getAttribute("class").contains("own"), "own messages sit on the right");
        assertFalse(guest.chatMessage("Hello everyone").getAttribute("class").contains("own"));

        guest.chat("Hi Hanna <b>bold</b>", null);
        host.chatMessage("Hi Hanna <b>bold</b>").waitFor();
        assertEquals(0, host.page().locator(".messages b").count(), "chat text is shown as text, never as markup");

        host.chat("Just for Gus", "Gus Guest");
        guest.chatMessage("Just for Gus").waitFor();
        assertTrue(guest.chatMessage("Just for Gus").textContent().contains("to you (private)"));
        assertTrue(host.chatMessage("Just for Gus").textContent().contains("to Gus Guest (private)"));
        host.chat("Last public", null);

        third.unreadBadge().waitFor();
        third.page().waitForFunction("() => document.querySelector('.toolbar .chat-badge').textContent === '3'");
        third.button("Chat").click();
        third.chatMessage("Last public").waitFor();
        assertEquals(0, third.chatMessage("Just for Gus").count(), "a private message reaches nobody else");
        assertEquals(3, third.page().locator(".messages .message").count());
    }

    @Test
    void cameraAndMicrophoneTogglesShowOnTheOtherSide() {
        MeetingPage host = chromium.hostOfNewMeeting(app);
        String code = host.meetingCode();
        MeetingPage guest = chromium.person(app, LOW_VIDEO).joinByLink(code, "Gus Guest");
        String guestId = guest.selfId();
        host.awaitRemoteTiles(1);
        host.assertReceivesMediaFrom(guestId);
        host.waitUntil(guestId, "camera", "on");
        host.waitUntil(guestId, "mic", "on");

        guest.button("Camera").click();
        assertEquals("false", guest.button("Camera").getAttribute("aria-pressed"));
        host.waitUntil(guestId, "camera", "off");
        assertTrue(host.tile(guestId).locator(".camera-off").isVisible(), "camera-off placeholder shown");

        guest.button("Microphone").click();
        assertEquals("false", guest.button("Microphone").getAttribute("aria-pressed"));
        host.waitUntil(guestId, "mic", "off");
        assertTrue(host.tile(guestId).locator(".mic-off").isVisible(), "muted-mic indicator shown");

        guest.page().keyboard().press("Alt+A");
        host.waitUntil(guestId, "mic", "on");
        assertTrue(host.tile(guestId).locator(".mic-off").isHidden());
        guest.page().keyboard().press("Alt+V");
        host.waitUntil(guestId, "camera", "on");
        assertTrue(host.tile(guestId).locator(".camera-off").isHidden());
        host.assertReceivesMediaFrom(guestId);
    }

    @Test
    void screenShareReplacesTheCameraForOthersAndBack() {
        MeetingPage host = chromium.hostOfNewMeeting(app);
        String code = host.meetingCode();
        MeetingPage guest = chromium.person(app, LOW_VIDEO).joinByLink(code, "Gus Guest");
        String hostId = host.selfId();
        guest.awaitRemoteTiles(1);
        guest.assertReceivesMediaFrom(hostId);
        double cameraWidth = MeetingPage.number(guest.media(hostId), "videoWidth");

        host.button("Share screen").click();
        host.page().getByText("You are presenting").waitFor();
        assertEquals("true", host.button("Share screen").getAttribute("aria-pressed"));
        guest.page().waitForFunction("([id, w]) => document.querySelector(`.stage [data-participant=\"${id}\"] video`).videoWidth !== w",
                List.of(hostId, cameraWidth));
        double screenWidth = MeetingPage.number(guest.media(hostId), "videoWidth");
        guest.assertReceivesMediaFrom(hostId);
        // the shared screen takes the guest's stage; the guest's own tile moves aside
        guest.page().locator(".stage-main [data-participant=\"" + hostId + "\"]").waitFor();
        assertEquals("featured", guest.page().locator(".stage").getAttribute("data-layout"));
        assertEquals(1, guest.page().locator(".stage-main [data-participant]").count());

        host.button("Stop presenting").click();
        guest.page().waitForFunction("([id, w]) => document.querySelector(`.stage [data-participant=\"${id}\"] video`).videoWidth === w",
                List.of(hostId, cameraWidth));
        guest.assertReceivesMediaFrom(hostId);
        guest.page().waitForFunction("() => document.querySelector('.stage').dataset.layout === 'grid'");
        assertTrue(host.page().getByText("You are presenting").isHidden());
        assertNotEquals(cameraWidth, screenWidth);
    }

    @Test
    void threeParticipantsAllSeeBothOthers() {
        MeetingPage host = chromium.hostOfNewMeeting(app);
        String code = host.meetingCode();
        MeetingPage second = chromium.person(app, LOW_VIDEO).joinByLink(code, "Sam Second");
        MeetingPage third = chromium.person(app, LOW_VIDEO).joinByLink(code, "Tess Third");
        List<MeetingPage> everyone = List.of(host, second, third);
        for (MeetingPage person : everyone) {
            person.assertReceivesMediaFrom(person.awaitRemoteTiles(2));
            assertEquals(3, person.page().locator(".stage [data-participant]").count());
        }
    }

    @Test
    @Tag("core") // also on WildFly
    void leavingRemovesTheTileAndEndingReachesEveryone() {
        MeetingPage host = chromium.hostOfNewMeeting(app);
        String code = host.meetingCode();
        MeetingPage leaver = chromium.person(app, LOW_VIDEO).joinByLink(code, "Lee Leaver");
        MeetingPage stayer = chromium.person(app, LOW_VIDEO).joinByLink(code, "Stan Stayer");
        String leaverId = leaver.selfId();
        host.awaitRemoteTiles(2);
        stayer.awaitRemoteTiles(2);

        leaver.button("Leave").click();
        leaver.menuItem("Leave meeting").click();
        leaver.heading("You left the meeting").waitFor();
        host.waitGone(leaverId);
        stayer.waitGone(leaverId);

        host.button("Participants").click();
        host.button("End meeting for all").click();
        stayer.heading("This meeting has ended").waitFor();
        host.heading("This meeting has ended").waitFor();
        stayer.openInvite(code);
        stayer.heading("This meeting has ended").waitFor();
        assertEquals(0, stayer.button("Join meeting").count());
    }

    @Test
    void pagesSignInHomeAndUnknownMeetings() {
        MeetingPage visitor = chromium.person(app, null);
        com.microsoft.playwright.Response landing = visitor.page().navigate("/");
        assertTrue(landing.headers().get("content-security-policy").contains("script-src 'self'"), "CSP forbids inline script");
        visitor.heading("Meetings in your browser, on your own server").waitFor();

        visitor.field("Meeting code").fill("not a code");
        visitor.button("Join").click();
        assertTrue(visitor.page().getByRole(com.microsoft.playwright.options.AriaRole.ALERT).first().textContent()
                .contains("not a meeting code"));
        visitor.field("Meeting code").fill(app + "m/abc-defg-hij");
        visitor.button("Join").click();
        visitor.heading("Meeting not found").waitFor();

        visitor.page().navigate("/signin");
        visitor.field("Username").fill("nobody_" + UUID.randomUUID().toString().substring(0, 8));
        visitor.field("Password").fill("wrong password");
        visitor.button("Sign in").click();
        visitor.page().getByText("Wrong username or password.").waitFor();

        String name = username("hist");
        MeetingPage user = chromium.person(app, null).signUp(name, "Hilda History");
        String code = user.newMeeting();
        user.page().navigate("/home");
        user.page().locator(".history-entry", new com.microsoft.playwright.Page.LocatorOptions().setHasText(code))
                .getByText("Rejoin").click();
        user.button("Join meeting").waitFor();
        assertTrue(user.page().url().endsWith("/m/" + code));

        user.page().navigate("/home");
        user.button("Sign out").click();
        user.button("Sign in").waitFor();
        user.page().navigate("/home");
        user.heading("Sign in").waitFor(); // signed out: home asks to sign in
    }

    @Test
    void namesAreShownAsTextAndListenOnlyGuestsCanJoin() {
        MeetingPage host = chromium.hostOfNewMeeting(app);
        String code = host.meetingCode();
        // this person's browser refuses camera and microphone, as after "Block" in the permission prompt
        MeetingPage listener = chromium.person(app, null, "navigator.mediaDevices.getUserMedia = () =>"
                + " Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));").openInvite(code);
        listener.page().getByText("Camera and microphone unavailable").waitFor();
        listener.field("Display name").fill("<img src=x onerror=alert(1)>");
        listener.joinNow();
        assertEquals("false", listener.button("Microphone").getAttribute("aria-pressed"));
        assertTrue(listener.button("Microphone").isDisabled());

        String hostId = host.selfId();
        String listenerId = listener.selfId();
        listener.awaitRemoteTiles(1);
        listener.assertReceivesMediaFrom(hostId);
        host.awaitRemoteTiles(1);
        host.waitUntil(listenerId, "camera", "off");
        assertTrue(host.tile(listenerId).textContent().contains("<img src=x onerror=alert(1)>"));
        assertEquals(0, host.page().locator(".stage img").count(), "a name is text, never markup");
    }

    @Test
    void joiningBeforeTheCameraIsReadyStillJoinsWithIt() {
        MeetingPage host = chromium.hostOfNewMeeting(app);
        String code = host.meetingCode();
        // a slow camera: getUserMedia answers after 2 s, and this person clicks Join before that
        MeetingPage quick = chromium.person(app, LOW_VIDEO, "{ const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);"
                + " navigator.mediaDevices.getUserMedia = (c) => new Promise((ok) => setTimeout(ok, 2000)).then(() => real(c)); }")
                .openInvite(code);
        quick.field("Display name").fill("Quinn Quick");
        assertEquals(0, (int) quick.page().evaluate("() => document.querySelector('video.preview').videoWidth"),
                "the camera is not ready yet when Join is clicked");
        quick.joinNow();
        host.awaitRemoteTiles(1);
        host.assertReceivesMediaFrom(quick.selfId());
        assertEquals("true", quick.button("Camera").getAttribute("aria-pressed"));
    }

    @Test
    void theHostMutesLocksAndRemoves() {
        MeetingPage host = chromium.hostOfNewMeeting(app);
        String code = host.meetingCode();
        MeetingPage guest = chromium.person(app, LOW_VIDEO).joinByLink(code, "Gus Guest");
        String guestId = guest.selfId();
        host.awaitRemoteTiles(1);
        assertEquals(0, guest.button("End meeting for all").count(), "only the host has host controls");

        host.button("Participants").click();
        host.button("Mute Gus Guest").click();
        guest.page().getByText("The host muted your microphone.").waitFor();
        assertEquals("false", guest.button("Microphone").getAttribute("aria-pressed"));
        host.waitUntil(guestId, "mic", "off");

        host.button("Lock meeting").click();
        host.page().locator(".lock-badge").waitFor();
        MeetingPage late = chromium.person(app, LOW_VIDEO).openInvite(code);
        late.field("Display name").fill("Late Larry");
        late.button("Join meeting").click();
        late.page().getByText("The host has locked this meeting").waitFor();
        host.button("Unlock meeting").click();
        guest.page().getByText("The meeting is unlocked.").waitFor();

        assertTrue(host.tile(guestId).textContent().contains("Guest"), "a guest is tagged as one");
        host.button("Remove Gus Guest").click();
        guest.heading("You were removed from the meeting").waitFor();
        host.waitGone(guestId);

        // removed means banned: the same browser cannot walk back in, until the host lets it
        guest.openInvite(code);
        guest.field("Display name").fill("Gus Again");
        guest.button("Join meeting").click();
        guest.page().getByText("The host removed you from this meeting").waitFor();
        host.button("Allow Gus Guest back").click();
        host.button("Allow Gus Guest back").waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED));
        guest.button("Join meeting").click();
        assertEquals(1, host.awaitRemoteTiles(1).size(), "back in once the ban is lifted");
    }

    /** A host in a new meeting and a guest whose meeting socket runs through a {@link SocketTap}. */
    private record TappedCall(MeetingPage host, MeetingPage guest, SocketTap tap) {
    }

    private TappedCall tappedCall() {
        MeetingPage host = chromium.hostOfNewMeeting(app);
        MeetingPage guest = chromium.person(app, LOW_VIDEO);
        SocketTap tap = SocketTap.install(guest.page());
        guest.joinByLink(host.meetingCode(), "Gus Guest");
        return new TappedCall(host, guest, tap);
    }

    @Test
    void chatRefusedAsBusyIsShownAndSentAgainByItself() {
        TappedCall call = tappedCall();
        MeetingPage host = call.host();
        MeetingPage guest = call.guest();
        SocketTap refuser = call.tap();
        host.awaitRemoteTiles(1);

        refuser.refuseNextChat(800);
        guest.chat("Sent while the server was busy", null);
        guest.page().getByText("Chat is busy right now").waitFor();
        // re-sent after the hint, by the client alone (the host's chat panel is closed: the message is there, unread)
        host.chatMessage("Sent while the server was busy").waitFor(new com.microsoft.playwright.Locator.WaitForOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
        guest.chatMessage("Sent while the server was busy").waitFor();
        assertEquals(1, refuser.refused());
        assertEquals(1, refuser.chatsPassed(), "sent again once");
        assertEquals(1, host.page().locator(".messages .message").count());
    }

    @Test
    void signalsFromStrangersAreIgnoredAndAPeerMayStartAfreshOnlySoOften() {
        TappedCall call = tappedCall();
        MeetingPage host = call.host();
        MeetingPage guest = call.guest();
        SocketTap tap = call.tap();
        String hostId = host.selfId();
        guest.assertReceivesMediaFrom(hostId);

        // someone who is not in the meeting offers media: no connection is made for it
        tap.inject("{\"type\":\"signal\",\"from\":\"not-a-participant\",\"data\":{\"sid\":\"s1\","
                + "\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}}");
        guest.page().waitForFunction("() => window.confabMeeting.participants.size === 1");
        Servers.sleep(300);
        assertEquals(Boolean.FALSE, guest.page().evaluate("() => window.confabMeeting.peers.has('not-a-participant')"));

        // a participant whose signals keep claiming a new session is rebuilt five times a minute, not more
        for (int i = 0; i < 9; i++) {
            tap.inject("{\"type\":\"signal\",\"from\":\"" + hostId + "\",\"data\":{\"sid\":\"fresh" + i + "\"}}");
        }
        guest.page().waitForFunction("() => true"); // let the page take the frames
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && guest.console().stream().noneMatch(l -> l.contains("too many fresh starts"))) {
            Servers.sleep(50);
        }
        long restarts = guest.console().stream().filter(l -> l.contains("remote session changed")).count();
        assertEquals(5, restarts, "bounded fresh starts: " + guest.console());
        assertTrue(guest.console().stream().anyMatch(l -> l.contains("too many fresh starts")));
    }

    @Test
    void aDroppedSocketRejoinsByItselfWithoutTheOthersNoticingAndChatTypedMeanwhileArrivesOnce() {
        CuttableCall call = callWithACuttableGuest();
        MeetingPage host = call.host();
        MeetingPage guest = call.guest();
        String hostId = call.hostId();
        String guestId = call.guestId();

        host.button("Chat").click();

        long lostAt = System.nanoTime();
        call.network().cut(); // the socket drops mid-call
        guest.page().getByText("Connection lost. Reconnecting…").waitFor();
        guest.chat("typed during the outage", null);
        guest.page().getByText("your message will be sent when the connection is back").waitFor();
        Map<String, Object> duringOutage = host.media(guestId);
        guest.page().waitForTimeout(500);
        call.network().restore();

        guest.page().getByText("Reconnected").waitFor();
        long backMillis = millisSince(lostAt);
        host.chatMessage("typed during the outage").waitFor();
        long chatMillis = millisSince(lostAt);
        assertEquals(List.of(), host.page().evaluate("() => window.seen"), "no participant-left or -joined for the host");
        assertEquals(List.of(guestId), host.awaitRemoteTiles(1), "the same participant, never gone");
        host.assertReceivesMediaFrom(guestId);
        guest.assertReceivesMediaFrom(hostId);
        assertTrue(MeetingPage.number(host.media(guestId), "framesDecoded") > MeetingPage.number(duringOutage, "framesDecoded"));
        System.out.printf("Socket loss: back in the meeting after %d ms, queued chat delivered after %d ms, "
                + "peer connection kept: %s%n", backMillis, chatMillis, host.media(guestId).get("connectionState"));

        guest.chat("after the drop", null);
        host.chatMessage("after the drop").waitFor();
        assertEquals(1, host.chatMessage("typed during the outage").count(), "delivered once");
        assertEquals(1, guest.chatMessage("typed during the outage").count(), "shown once to its sender");
        assertEquals(2, call.network().connected(), "the guest re-opened its socket");
    }

    @Test
    void someoneBackAfterTheGracePeriodIsANewArrivalAndMediaComesBack() {
        CuttableCall call = callWithACuttableGuest();
        MeetingPage host = call.host();
        MeetingPage guest = call.guest();
        String hostId = call.hostId();
        String guestId = call.guestId();

        call.network().cut();
        host.waitGone(guestId); // after the grace period (6 s in arquillian.xml) the host sees the guest leave
        call.network().restore();
        guest.page().getByText("Reconnected").waitFor();
        long backAt = System.nanoTime();
        assertEquals(List.of(guestId), host.awaitRemoteTiles(1), "the same participant, arriving anew");
        host.assertReceivesMediaFrom(guestId);
        guest.assertReceivesMediaFrom(hostId);
        System.out.printf("Back after the grace period: media both ways checked %d ms after the re-join%n",
                millisSince(backAt));
        assertEquals(List.of("participant-left", "participant-joined"), host.page().evaluate("() => window.seen"));
    }

    private record CuttableCall(MeetingPage host, MeetingPage guest, SocketCutter network, String hostId,
                                String guestId) {
    }

    /**
     * A host and a guest whose meeting socket the test can cut, with media flowing from the guest; from then on
     * the host's page records, in {@code window.seen}, the participant-left and -joined events it gets.
     */
    private CuttableCall callWithACuttableGuest() {
        MeetingPage host = chromium.hostOfNewMeeting(app);
        MeetingPage guest = chromium.person(app, LOW_VIDEO);
        SocketCutter network = SocketCutter.install(guest.page());
        guest.joinByLink(host.meetingCode(), "Gus Guest");
        host.awaitRemoteTiles(1);
        String guestId = guest.selfId();
        host.assertReceivesMediaFrom(guestId);
        host.page().evaluate("() => { window.seen = [];"
                + " for (const type of ['participant-left', 'participant-joined'])"
                + "   window.confabMeeting.addEventListener(type, () => window.seen.push(type)); }");
        return new CuttableCall(host, guest, network, host.selfId(), guestId);
    }
}
