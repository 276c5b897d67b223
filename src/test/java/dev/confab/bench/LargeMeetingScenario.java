package dev.confab.bench;

import dev.confab.it.support.Chromium;
import dev.confab.it.support.JanusServer;
import dev.confab.it.support.MeetingPage;
import dev.confab.it.support.NetworkNamespace;
import dev.confab.it.support.PayaraMicro;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A meeting of 6 (and 9: {@code bench.large-sizes}) people at 160×120, on the mesh and through Janus: Janus,
 * Confab (Payara Micro) and Chromium in a network namespace, as in {@code SfuIT}. Per size and path: the last
 * joiner's Join click → a first frame from everyone; then over {@code bench.large-seconds} (20): the CPU the
 * browser's processes use (cores), the frames per second each page decodes per remote video, and how many of
 * the remote videos decode at all. A size the mesh cannot carry is reported as such, with what it reached.
 */
final class LargeMeetingScenario {

    private static final String TINY_VIDEO = "{\"videoHeight\":120}";

    Map<String, Object> run(Path work) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String size : System.getProperty("bench.large-sizes", "6,9").split(",")) {
            sizes.add(Integer.parseInt(size.strip()));
        }
        int seconds = Integer.getInteger("bench.large-seconds", 20);
        Map<String, Object> result = new LinkedHashMap<>();
        Path dir = Files.createTempDirectory(work, "large");
        try (NetworkNamespace ns = NetworkNamespace.create(dir); JanusServer janus = JanusServer.start(ns, dir)) {
            for (String path : List.of("sfu", "mesh")) {
                Map<String, String> settings = new LinkedHashMap<>(Map.of(
                        "confab.data.dir", Files.createTempDirectory(dir, "store").toString()));
                if (path.equals("sfu")) {
                    settings.putAll(Map.of("confab.sfu.url", janus.url().toString(),
                            "confab.sfu.api-secret", janus.apiSecret(), "confab.sfu.admin-key", janus.adminKey(),
                            "confab.sfu.mesh-max", "0"));
                }
                Map<String, Object> bySize = new LinkedHashMap<>();
                try (PayaraMicro confab = PayaraMicro.inNamespace(ns, dir.resolve(path), settings, 8080);
                     Chromium chromium = Chromium.inNamespace(ns, dir)) {
                    for (int size : sizes) {
                        bySize.put(size + " people", measure(chromium, confab, size, seconds));
                        chromium.closeContexts();
                        Thread.sleep(5000); // the last meeting's media winds down
                    }
                }
                result.put(path, bySize);
            }
        }
        return result;
    }

    private Map<String, Object> measure(Chromium chromium, PayaraMicro confab, int size, int seconds)
            throws InterruptedException {
        Map<String, Object> figures = new LinkedHashMap<>();
        MeetingPage host = chromium.person(confab.base(), TINY_VIDEO)
                .signUp("large_" + System.nanoTime() % 100000000, "Host");
        String code = host.newMeeting();
        host.joinNow();
        List<MeetingPage> people = new ArrayList<>(List.of(host));
        for (int i = 2; i < size; i++) {
            people.add(chromium.person(confab.base(), TINY_VIDEO).joinByLink(code, "Person " + i));
        }
        MeetingPage last = chromium.person(confab.base(), TINY_VIDEO).openInvite(code);
        last.field("Display name").fill("Last joiner");
        last.page().waitForFunction("() => document.querySelector('video.preview')?.videoWidth > 0");
        last.page().evaluate(BrowserScenario.WATCH);
        last.button("Join meeting").click();
        people.add(last);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        double joinMs = -1;
        while (System.nanoTime() < deadline) {
            Object ms = last.page().evaluate("n => Object.keys(window.__bench.firstFrame).length === n"
                    + " ? Math.max(...Object.values(window.__bench.firstFrame)) - window.__bench.clickedAt : null", size - 1);
            if (ms != null) {
                joinMs = ((Number) ms).doubleValue();
                break;
            }
            Thread.sleep(250);
        }
        figures.put("lastJoinerJoinToAllFramesMs", joinMs < 0 ? "not within 90 s" : Bench.round(joinMs));
        Thread.sleep(3000); // settle

        List<Map<String, Number>> before = people.stream().map(LargeMeetingScenario::frames).toList();
        long start = System.nanoTime();
        Duration cpuBefore = browserCpu();
        Thread.sleep(seconds * 1000L);
        Duration cpu = browserCpu().minus(cpuBefore);
        double cpuWindow = (System.nanoTime() - start) / 1e9; // the CPU's window: the sleep alone
        List<Map<String, Number>> after = people.stream().map(LargeMeetingScenario::frames).toList();
        double elapsed = (System.nanoTime() - start) / 1e9; // the frames' window: reading 9 pages takes a while

        int videos = 0;
        int decoding = 0;
        double fpsSum = 0;
        for (int i = 0; i < people.size(); i++) {
            for (Map.Entry<String, Number> remote : after.get(i).entrySet()) {
                videos++;
                double frames = remote.getValue().doubleValue()
                        - Optional.ofNullable(before.get(i).get(remote.getKey())).map(Number::doubleValue).orElse(0.0);
                if (frames > 0) {
                    decoding++;
                }
                fpsSum += frames / elapsed;
            }
        }
        int expected = size * (size - 1);
        figures.put("remoteVideosDecoding", decoding + " of " + expected);
        figures.put("fpsPerRemoteVideo", Bench.round(fpsSum / Math.max(1, expected)));
        figures.put("browserCpuCores", Bench.round(cpu.toMillis() / 1000.0 / cpuWindow));
        figures.put("loadAverage", Bench.round(loadAverage()));
        figures.put("peerConnectionsPerPage", people.get(0).page().evaluate("() => window.confabMeeting.connectionCount()"));
        System.out.printf("large meeting: %d people: %s%n", size, figures);
        return figures;
    }

    /** Frames decoded so far of each remote participant's video on this page (by participant id). */
    @SuppressWarnings("unchecked")
    private static Map<String, Number> frames(MeetingPage page) {
        return (Map<String, Number>) page.page().evaluate("async () => { const c = window.confabMeeting; const out = {};"
                + " for (const id of c.participants.keys()) { const s = await c.stats(id); out[id] = s?.framesDecoded ?? 0; }"
                + " return out; }");
    }

    /** CPU time of every Chromium process under this JVM (the browser and its renderers, GPU, audio…). */
    private static Duration browserCpu() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.contains("chrom")).orElse(false))
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
