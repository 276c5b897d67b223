package dev.confab.it;

import com.microsoft.playwright.Locator;
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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.confab.it.support.Chromium.LOW_VIDEO;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The meeting room as people use it (issue 15): a stage that fills the window, the toolbar and its menus, the
 * Leave menu, reactions, pin and speaker view, the lobby from both sides, co-hosts, phones. Screenshots go to
 * {@code target/screenshots/}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RoomIT {


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

    private static void screenshot(MeetingPage page, String name) {
        page.screenshot(name);
    }

    /** A signed-in host at a desktop of this size, in a new meeting (with a waiting room if asked). */
    private MeetingPage host(int width, int height, boolean lobby, String title) {
        MeetingPage host = chromium.desktop(app, LOW_VIDEO, width, height)
                .signUp("host_" + UUID.randomUUID().toString().substring(0, 8), "Hanna Host");
        host.field("Title (optional)").fill(title);
        if (lobby) {
            host.page().getByLabel("Waiting room: I let people in myself").check();
        }
        host.newMeeting();
        return host.joinNow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> box(MeetingPage page, String selector) {
        return (Map<String, Object>) page.page().evaluate("s => { const r = document.querySelector(s).getBoundingClientRect();"
                + " return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height}; }", selector);
    }

    private static double num(Map<String, Object> box, String key) {
        return ((Number) box.get(key)).doubleValue();
    }

    @Test
    void theStageFillsTheWindowAboveAFixedToolbarAndTheHeaderShowsTheMeeting() {
        MeetingPage host = host(1280, 720, false, "Design review");
        String code = host.meetingCode();
        MeetingPage guest = chromium.person(app, LOW_VIDEO).joinByLink(code, "Gus Guest");
        String guestId = guest.selfId();
        host.awaitRemoteTiles(1);
        host.assertReceivesMediaFrom(guestId);

        // each remote tile tells how that person's media arrives (getStats: loss, round trip, frame rate)
        Locator quality = host.tile(guestId).locator(".quality");
        host.page().waitForFunction("id => document.querySelector(`[data-participant=\"${id}\"] .quality`).dataset.level !== 'unknown'", guestId);
        assertTrue(List.of("good", "fair", "poor").contains(quality.getAttribute("data-level")));
        assertTrue(quality.getAttribute("aria-label").matches("Network (good|fair|poor): loss [0-9.]+ %, round trip [0-9?]+ ms, [0-9]+ frames/s"),
                quality.getAttribute("aria-label"));
        quality.click();
        assertTrue(host.tile(guestId).locator(".quality-details").isVisible(), "details on tap");
        System.out.println("Network quality of a loopback call: " + quality.getAttribute("aria-label"));

        Map<String, Object> stage = box(host, ".stage");
        Map<String, Object> toolbar = box(host, ".toolbar");
        Map<String, Object> header = box(host, ".room-header");
        assertEquals(720, num(toolbar, "bottom"), 1, "the toolbar sits at the bottom of the window");
        assertEquals(num(toolbar, "top"), num(stage, "bottom"), 1, "the stage reaches the toolbar");
        assertTrue(num(stage, "top") - num(header, "bottom") < 60, "the stage starts under the header: " + stage + header);
        // two tiles side by side, as large as the stage lets them be: they fill its width or its height
        Map<String, Object> a = box(host, ".stage [data-participant]:nth-child(1)");
        Map<String, Object> b = box(host, ".stage [data-participant]:nth-child(2)");
        double usedWidth = num(b, "right") - num(a, "left");
        double usedHeight = Math.max(num(a, "height"), num(b, "height"));
        assertTrue(usedWidth > 0.9 * num(stage, "width") || usedHeight > 0.9 * num(stage, "height"),
                "tiles " + a + b + " fill the stage " + stage);
        assertTrue(num(a, "height") > 300, "not the 460 px strip of before: " + a);

        // the header: title, elapsed time, head count, the invite link with a copy button
        assertEquals("Design review", host.page().locator(".room-title").textContent());
        assertEquals("2 people", host.page().locator(".room-count").textContent());
        host.page().waitForFunction("() => /^00:0[1-9]$|^00:[1-5][0-9]$/.test(document.querySelector('.room-clock').textContent)");
        assertTrue(host.page().locator(".invite-link").inputValue().endsWith("/m/" + code));
        host.page().context().grantPermissions(List.of("clipboard-read", "clipboard-write"));
        host.button("Copy invite link").click();
        host.page().getByText("Invite link copied").waitFor();
        assertTrue(((String) host.page().evaluate("() => navigator.clipboard.readText()")).endsWith("/m/" + code));

        // the toolbar, in the order people know, each control named, with a tooltip naming its shortcut
        List<String> order = host.page().locator(".toolbar button:not(.caret)").all().stream()
                .map(l -> l.textContent().replaceAll("\\d", "").trim()).toList();
        assertEquals(List.of("Microphone", "Camera", "Share screen", "Reactions", "Raise hand", "Chat", "Participants",
                "More", "Leave"), order.stream().filter(s -> !s.isEmpty()).toList());
        assertEquals("Microphone (Alt+A)", host.button("Microphone").getAttribute("title"));
        host.button("Choose microphone").click();
        assertTrue(host.page().getByRole(com.microsoft.playwright.options.AriaRole.MENUITEMRADIO).count() >= 1, "a device menu");
        host.page().keyboard().press("Escape");

        // two more people: the grid of four still fills the stage
        MeetingPage third = chromium.person(app, LOW_VIDEO).joinByLink(code, "Tess Third");
        MeetingPage fourth = chromium.person(app, LOW_VIDEO).joinByLink(code, "Finn Fourth");
        host.awaitRemoteTiles(3);
        host.assertReceivesMediaFrom(third.selfId());
        host.assertReceivesMediaFrom(fourth.selfId());
        Map<String, Object> main = box(host, ".stage-main");
        Map<String, Object> first = box(host, ".stage-main [data-participant]:nth-child(1)");
        assertTrue(2 * num(first, "height") > 0.85 * num(main, "height")
                || 2 * num(first, "width") > 0.85 * num(main, "width"), "a 2 × 2 grid fills the stage: " + first + main);
        screenshot(host, "room-desktop-4-people");

        // every control has a name, and the toolbar is reached by keyboard and works from it
        Object unnamed = host.page().evaluate("() => [...document.querySelectorAll('.room button')]"
                + ".filter(b => b.offsetParent !== null && !(b.getAttribute('aria-label') || b.textContent.trim()))"
                + ".map(b => b.outerHTML)");
        assertEquals(List.of(), unnamed, "buttons without an accessible name");
        host.page().locator(".room-title").click();
        for (int i = 0; i < 40 && !"Microphone".equals(host.page().evaluate("() => document.activeElement.textContent")); i++) {
            host.page().keyboard().press("Tab");
        }
        assertEquals("Microphone", host.page().evaluate("() => document.activeElement.textContent"), "Tab reaches the toolbar");
        host.page().keyboard().press("Enter");
        assertEquals("false", host.button("Microphone").getAttribute("aria-pressed"));
        assertNotEquals("none", host.page().evaluate("() => getComputedStyle(document.activeElement).outlineStyle"),
                "the focus is visible");

        // the shortcut help
        host.page().locator(".stage").click(new Locator.ClickOptions().setPosition(2, 2));
        host.page().keyboard().press("Shift+Slash");
        host.heading("Keyboard shortcuts").waitFor();
        assertTrue(host.page().locator("dialog.shortcuts").textContent().contains("Alt+V"));
        host.page().keyboard().press("Escape");
    }

    @Test
    @Tag("core") // also on WildFly
    void theHostEndsTheMeetingFromTheLeaveMenuAndAGuestCanOnlyLeave() {
        MeetingPage host = host(1000, 700, false, "Stand-up");
        MeetingPage guest = chromium.person(app, LOW_VIDEO).joinByLink(host.meetingCode(), "Gus Guest");
        host.awaitRemoteTiles(1);

        guest.button("Leave").click();
        guest.menuItem("Leave meeting").waitFor();
        assertEquals(0, guest.menuItem("End meeting for all").count(), "only the host may end it for all");
        guest.page().keyboard().press("Escape");
        assertEquals("false", guest.button("Leave").getAttribute("aria-expanded"));

        host.button("Leave").click();
        host.menuItem("End meeting for all").click();
        guest.heading("This meeting has ended").waitFor();
        host.heading("This meeting has ended").waitFor();
    }

    @Test
    void reactionsFloatOverTheSendersTileForEveryone() {
        MeetingPage host = host(1000, 700, false, "Demo");
        MeetingPage guest = chromium.person(app, LOW_VIDEO).joinByLink(host.meetingCode(), "Gus Guest");
        String guestId = guest.selfId();
        host.awaitRemoteTiles(1);
        guest.button("Reactions").click();
        guest.menuItem("🎉").click();
        host.tile(guestId).locator(".reaction[data-emoji=\"🎉\"]").waitFor();
        guest.tile(guestId).locator(".reaction[data-emoji=\"🎉\"]").waitFor();
        host.page().getByText("Gus Guest reacted 🎉").waitFor(new Locator.WaitForOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.ATTACHED));
    }

    @Test
    void anyoneCanPinATileAndSpeakerViewPutsOneLargeWithAStrip() {
        MeetingPage host = host(1280, 720, false, "Pins");
        String code = host.meetingCode();
        MeetingPage second = chromium.person(app, LOW_VIDEO).joinByLink(code, "Sam Second");
        MeetingPage third = chromium.person(app, LOW_VIDEO).joinByLink(code, "Tess Third");
        String secondId = second.selfId();
        host.awaitRemoteTiles(2);
        assertEquals("grid", host.page().locator(".stage").getAttribute("data-layout"));

        host.button("Pin Sam Second").click();
        host.page().locator(".stage-main [data-participant=\"" + secondId + "\"]").waitFor();
        assertEquals("featured", host.page().locator(".stage").getAttribute("data-layout"));
        assertEquals(2, host.page().locator(".strip [data-participant], .corner [data-participant]").count());
        Map<String, Object> featured = box(host, ".stage-main [data-participant]");
        assertTrue(num(featured, "height") > 400, "pinned large: " + featured);
        assertEquals("grid", third.page().locator(".stage").getAttribute("data-layout"), "a pin is one's own");
        host.assertReceivesMediaFrom(secondId);

        host.page().keyboard().press("Escape"); // unpins
        host.page().waitForFunction("() => document.querySelector('.stage').dataset.layout === 'grid'");

        // speaker view follows whoever talks: only the second person's microphone is on
        host.button("Microphone").click();
        third.button("Microphone").click();
        third.button("More").click();
        third.menuItem("Speaker view").click();
        assertEquals("featured", third.page().locator(".stage").getAttribute("data-layout"));
        assertEquals(1, third.page().locator(".stage-main [data-participant]").count());
        try {
            third.page().locator(".stage-main [data-participant=\"" + secondId + "\"]").waitFor();
        } catch (com.microsoft.playwright.TimeoutError e) {
            throw new AssertionError("speaker view did not follow " + secondId + "; RTP levels "
                    + third.page().evaluate("() => [...window.confabMeeting.participants.values()].map(p => [p.id, p.audio,"
                    + " window.confabMeeting.audioLevel(p.id)])"), e);
        }
        // self view to the corner
        third.button("More").click();
        third.menuItem("Minimise self view").click();
        third.page().locator(".corner [data-self].minimised").waitFor();
    }

    @Test
    @Tag("core") // also on WildFly
    void theLobbyHoldsNewcomersUntilTheHostLetsThemInAndTellsTheDeniedSo() {
        MeetingPage host = host(1280, 800, true, "Board meeting");
        String code = host.meetingCode();
        host.chat("Agenda: budget", null);

        MeetingPage ann = chromium.person(app, LOW_VIDEO).joinByLink(code, "Ann Applicant");
        ann.heading("Waiting to be let in").waitFor();
        assertTrue(ann.page().locator(".lobby-wait").textContent().contains("Board meeting"));
        ann.page().waitForFunction("() => document.querySelector('.lobby-wait video').videoWidth > 0"); // her preview
        screenshot(ann, "lobby-waiting");

        // the host hears and sees the knock
        host.page().getByText("Ann Applicant (guest) is waiting to join").waitFor();
        host.page().waitForFunction("() => Number(document.querySelector('.room').dataset.knockChimes) >= 1");
        assertEquals("1", host.page().locator(".knock-badge").textContent());
        screenshot(host, "lobby-host-sees-knock");

        // nothing of the meeting reaches the lobby
        assertEquals(0, ann.page().locator(".stage [data-participant]:not([data-self])").count());
        assertEquals(0, ann.page().locator(".messages .message").count());
        assertEquals(0, ((Number) ann.page().evaluate("() => window.confabMeeting.connectionCount()")).intValue());

        host.button("Participants").click();
        host.button("Admit Ann Applicant").click();
        String annId = ann.selfId();
        ann.awaitRemoteTiles(1);
        host.awaitRemoteTiles(1);
        host.assertReceivesMediaFrom(annId);
        ann.assertReceivesMediaFrom(host.selfId());
        ann.button("Chat").click();
        ann.chatMessage("Agenda: budget").waitFor();

        MeetingPage eve = chromium.person(app, LOW_VIDEO).joinByLink(code, "Eve Eavesdropper");
        eve.heading("Waiting to be let in").waitFor();
        host.button("Deny Eve Eavesdropper").click();
        eve.heading("The host did not let you in").waitFor();
        assertEquals(1, host.page().locator(".stage [data-participant]:not([data-self])").count());
    }

    @Test
    void theHostMakesACohostWhoCanRunTheLobby() {
        MeetingPage host = host(1000, 700, true, "Co-hosts");
        String code = host.meetingCode();
        MeetingPage ann = chromium.person(app, LOW_VIDEO).joinByLink(code, "Ann Assistant");
        host.button("Participants").click();
        host.button("Admit Ann Assistant").click();
        ann.awaitRemoteTiles(1);
        host.button("Make Ann Assistant co-host").click();
        ann.page().getByText("You are now a co-host").waitFor();
        MeetingPage late = chromium.person(app, LOW_VIDEO).joinByLink(code, "Leo Late");
        late.heading("Waiting to be let in").waitFor();
        ann.page().getByText("Leo Late (guest) is waiting to join").waitFor();
        ann.button("Admit").click();
        late.awaitRemoteTiles(2);
        ann.button("Leave").click();
        assertEquals(0, ann.menuItem("End meeting for all").count(), "a co-host cannot end it for all");
    }

    @Test
    void onAPhoneEveryControlIsReachableWithoutSidewaysScrolling() {
        MeetingPage host = host(1000, 700, false, "Phones");
        String code = host.meetingCode();
        for (boolean landscape : List.of(false, true)) {
            MeetingPage phone = chromium.phone(app, LOW_VIDEO, landscape).joinByLink(code, landscape ? "Lia Landscape" : "Pia Portrait");
            phone.awaitRemoteTiles(landscape ? 2 : 1); // the portrait phone is still there
            phone.assertReceivesMediaFrom(host.selfId());
            Object overflow = phone.page().evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertEquals(0, ((Number) overflow).intValue(), "no horizontal scroll (" + (landscape ? "landscape" : "portrait") + ")");
            int width = landscape ? 844 : 390;
            int height = landscape ? 390 : 844;
            for (Locator control : phone.page().locator(".toolbar button:visible").all()) {
                Map<String, Object> b = control.boundingBox() == null ? null : Map.of(
                        "x", control.boundingBox().x, "y", control.boundingBox().y,
                        "w", control.boundingBox().width, "h", control.boundingBox().height);
                assertNotNull(b, control.getAttribute("aria-label"));
                double x = ((Number) b.get("x")).doubleValue();
                double y = ((Number) b.get("y")).doubleValue();
                assertTrue(x >= 0 && x + ((Number) b.get("w")).doubleValue() <= width + 0.5
                        && y + ((Number) b.get("h")).doubleValue() <= height + 0.5, "on screen: " + control.textContent() + " " + b);
                assertTrue(((Number) b.get("w")).doubleValue() >= 30, "big enough to tap: " + control.textContent() + " " + b);
            }
            screenshot(phone, landscape ? "room-phone-landscape" : "room-phone-portrait");
            // chat as a full-screen sheet
            phone.button("Chat").tap();
            Map<String, Object> sheet = box(phone, ".panel.chat");
            assertTrue(num(sheet, "width") >= width - 1, "the chat takes the whole width: " + sheet);
            phone.button("Close panel").first().tap();
            // tap a tile to pin it
            phone.tile(host.selfId()).tap();
            phone.page().waitForFunction("() => document.querySelector('.stage').dataset.layout === 'featured'");
        }
    }
}
