package dev.confab.bench;

import dev.confab.it.support.Api;
import dev.confab.it.support.Chromium;
import dev.confab.it.support.MeetingPage;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real client in headless Chromium (fake camera and microphone), one context per person: the time from the
 * Join click to the first decoded frame of each remote participant's video, on the joining page's own clock.
 */
final class BrowserScenario {

    /** Marks the Join click and the first frame of every remote video, all on this page's clock. */
    static final String WATCH = """
            () => {
              const b = window.__bench = { clickedAt: 0, firstFrame: {} };
              const now = () => performance.timeOrigin + performance.now();
              document.addEventListener('click', (e) => {
                if (e.target.closest('button')?.textContent === 'Join meeting') b.clickedAt = now();
              }, true);
              const watch = () => {
                for (const v of document.querySelectorAll('.stage [data-participant]:not([data-self]) video')) {
                  if (v.dataset.benchWatched) continue;
                  v.dataset.benchWatched = '1';
                  const id = v.closest('[data-participant]').dataset.participant;
                  const seen = () => { if (v.videoWidth > 0 && !b.firstFrame[id]) b.firstFrame[id] = now(); };
                  v.addEventListener('loadeddata', seen);
                  v.addEventListener('resize', seen);
                  b.videos = (b.videos ?? []).concat([seen]);
                }
              };
              new MutationObserver(watch).observe(document.body, { subtree: true, childList: true });
              // events may be missed by a video that got its stream before it was watched: also look every 5 ms
              setInterval(() => { watch(); (b.videos ?? []).forEach((seen) => seen()); }, 5);
            }""";

    private final URI app;

    BrowserScenario(URI app) {
        this.app = app;
    }

    Map<String, Object> run(int twoPartyRuns, int fourPartyRuns) {
        Map<String, Object> result = new LinkedHashMap<>();
        try (Chromium chromium = new Chromium()) {
            measure(chromium, 2, null); // the first one warms the browser and the server: not counted
            List<Double> two = new ArrayList<>();
            for (int i = 0; i < twoPartyRuns; i++) {
                two.add(measure(chromium, 2, null));
            }
            List<Double> four = new ArrayList<>();
            for (int i = 0; i < fourPartyRuns; i++) {
                four.add(measure(chromium, 4, Chromium.LOW_VIDEO));
            }
            result.put("twoPartyJoinToFirstFrameMs", two);
            result.put("twoPartyMedianMs", Percentiles.median(two));
            result.put("fourParty320x240LastJoinerToAllFramesMs", four);
            result.put("fourPartyMedianMs", Percentiles.median(four));
        }
        return result;
    }

    /** {@code size - 1} people are in the meeting with media flowing; the last one joins: Join click → all remote frames. */
    private double measure(Chromium chromium, int size, String prefs) {
        try {
            Api api = new Api(app);
            String host = api.newUser("browser").getString("token");
            String code = api.post("api/v1/meetings", "{}", host).expect(201).object().getString("code");
            List<MeetingPage> inRoom = new ArrayList<>();
            for (int i = 1; i < size; i++) {
                MeetingPage person = chromium.person(app, prefs).joinByLink(code, "Person " + i);
                inRoom.add(person);
                inRoom.forEach(p -> p.awaitRemoteTiles(inRoom.size() - 1));
            }
            for (MeetingPage person : inRoom) {
                for (String other : person.awaitRemoteTiles(size - 2)) {
                    person.assertReceivesMediaFrom(other);
                }
            }
            MeetingPage last = chromium.person(app, prefs).openInvite(code);
            last.field("Display name").fill("Last joiner");
            last.page().waitForFunction("() => document.querySelector('video.preview')?.videoWidth > 0");
            last.page().evaluate(WATCH);
            last.button("Join meeting").click();
            try {
                last.page().waitForFunction("n => Object.keys(window.__bench.firstFrame).length === n", size - 1,
                        new com.microsoft.playwright.Page.WaitForFunctionOptions().setTimeout(MeetingPage.WAIT_MS));
            } catch (com.microsoft.playwright.TimeoutError e) {
                throw new IllegalStateException("no frames from everyone: " + last.page().evaluate(
                        "() => JSON.stringify({ bench: window.__bench, videos: [...document.querySelectorAll('video')]"
                                + ".map(v => ({ cls: v.className, w: v.videoWidth, src: !!v.srcObject,"
                                + " tile: v.closest('[data-participant]')?.outerHTML.slice(0, 200) })) })")
                        + "; console: " + last.console(), e);
            }
            double ms = ((Number) last.page().evaluate(
                    "() => Math.max(...Object.values(window.__bench.firstFrame)) - window.__bench.clickedAt")).doubleValue();
            System.out.printf("browser: %d people, Join click → all remote frames %.0f ms%n", size, ms);
            return Bench.round(ms);
        } finally {
            chromium.closeContexts();
        }
    }
}
