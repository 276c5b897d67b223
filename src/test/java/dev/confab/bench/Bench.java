package dev.confab.bench;

import dev.confab.it.support.Api;
import dev.confab.it.support.ConfabServer;
import dev.confab.it.support.Servers;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark command ({@code mvn -Pbench verify}): starts Confab on Payara Micro as a user would (embedded
 * store, its own JVM), drives it from this JVM, then the same on WildFly (the scenarios in
 * {@code bench.wildfly-scenarios}, {@code cold,rest,signalling} by default; empty for none), prints the figures and writes
 * {@code target/bench/results.json} (WildFly's under {@code "wildfly"}).
 *
 * <p>Scenarios (all by default; {@code bench.scenarios} picks some, comma-separated):
 * {@code cold} (cold start next to an empty WAR), {@code rest} (login rate, {@code GET /auth/me} at a fixed rate),
 * {@code browser} (Join click → first remote frame, see {@link BrowserScenario}), {@code signalling} (join, heap
 * per participant, relay, chat fan-out, server CPU; see {@link SignallingScenario}), {@code overload} (chat at 1 000
 * and 4 000 chats/s with signals going on: refusals, losses, closed sockets, signal p99, recovery), {@code large}
 * (6 and 9 people on the mesh and through Janus, in a network namespace; see {@link LargeMeetingScenario}),
 * {@code cluster} (the signalling scenario on one node and on two clustered nodes with a shared store, every signal
 * crossing nodes; see {@link ClusterScenario}; Payara only). With {@code signalling}, the seed peer ({@link SeedPeer}: the
 * Node.js Socket.io server Confab started from, with the seed's events) is driven by the same scenario right before
 * Confab, on each server's turn; its figures go under {@code "seed"} and Confab ÷ seed under {@code "confabOverSeed"}
 * ({@code seed} alone: the seed peer only).
 *
 * <p>Settings (system properties): {@code bench.participants} (1000), {@code bench.rate} (2000 msg/s),
 * {@code bench.warmup-seconds} (5), {@code bench.cluster-warmup-seconds} (120: the relay's warm-up in the cluster
 * scenario, one node and two alike; after 5 s the JIT was still compiling the relay's hot path when the window
 * opened, and the cross-node p99 moved 1.5-3.8x one node's between runs), {@code bench.seconds} (20), {@code bench.rest-rate} (1000 req/s),
 * {@code bench.chat-step-seconds} (5), {@code bench.chat-warmup-seconds} (30), {@code bench.browser-runs} (5), {@code bench.cold-runs} (3), {@code bench.server-options} (extra JVM
 * options for Payara, e.g. a flight recording).
 */
public final class Bench {

    public static void main(String[] args) throws Exception {
        List<String> scenarios = List.of(System.getProperty("bench.scenarios", "cold,rest,browser,signalling,overload,large,cluster").split(","));
        String onWildFly = System.getProperty("bench.wildfly-scenarios", "cold,rest,signalling").strip();
        Path work = Files.createDirectories(Path.of("target", "bench"));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machine", machine());
        results.put("startedAt", Instant.now().toString());
        results.put("server", Servers.PAYARA);
        results.putAll(run(Servers.PAYARA, scenarios, work));
        if (scenarios.contains("large")) {
            results.put("largeMeeting", new LargeMeetingScenario().run(work));
        }
        if (scenarios.contains("cluster")) {
            results.put("cluster", new ClusterScenario(Servers.PAYARA, work,
                    Path.of(System.getProperty("confab.war", "target/confab.war")), serverOptions()).run(
                    Integer.getInteger("bench.participants", 1000), Integer.getInteger("bench.rate", 2000),
                    Integer.getInteger("bench.cluster-warmup-seconds", 120), Integer.getInteger("bench.seconds", 20),
                    Integer.getInteger("bench.chat-step-seconds", 5)));
        }
        if (!onWildFly.isEmpty()) {
            Map<String, Object> wildfly = new LinkedHashMap<>();
            wildfly.put("startedAt", Instant.now().toString());
            wildfly.putAll(run(Servers.WILDFLY, List.of(onWildFly.split(",")), work));
            results.put(Servers.WILDFLY, wildfly);
        }
        String json = pretty(toJsonObject(results));
        Files.writeString(work.resolve("results.json"), json);
        System.out.println();
        System.out.println("Confab benchmark — " + results.get("machine"));
        System.out.println(json);
    }

    /** The scenarios on one server, each server in a JVM of its own with the same options. */
    private static Map<String, Object> run(String server, List<String> scenarios, Path work) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 20);
        List<String> jvmOptions = serverOptions();
        Path war = Path.of(System.getProperty("confab.war", "target/confab.war"));
        Map<String, Object> results = new LinkedHashMap<>();
        if (scenarios.contains("cold")) {
            // alternate the empty WAR and Confab, so both see the same machine state; medians of the runs
            List<Double> empty = new ArrayList<>();
            List<Double> confab = new ArrayList<>();
            for (int i = 0; i < Integer.getInteger("bench.cold-runs", 3); i++) {
                empty.add(coldStartOfEmptyWar(server, work));
                long launched = System.nanoTime();
                try (ConfabServer ignored = startConfab(server, work, war, jvmOptions)) {
                    confab.add(round((System.nanoTime() - launched) / 1e9));
                }
            }
            Map<String, Object> cold = new LinkedHashMap<>();
            cold.put("emptyWarToReadySeconds", empty);
            cold.put("confabToReadySeconds", confab);
            cold.put("emptyWarMedianSeconds", Percentiles.median(empty));
            cold.put("confabMedianSeconds", Percentiles.median(confab));
            results.put("coldStart", cold);
        }
        boolean withSeed = scenarios.contains("seed")
                || (scenarios.contains("signalling") && Boolean.parseBoolean(System.getProperty("bench.seed", "true")));
        Map<String, Object> seed = withSeed ? seed(work) : null;
        if (seed != null) {
            results.put("seed", seed);
        }
        if (scenarios.stream().noneMatch(List.of("rest", "browser", "signalling", "overload")::contains)) {
            return results;
        }
        // default settings, bcrypt cost 12 included: the login rate is what production would see
        try (ConfabServer confab = startConfab(server, work, war, jvmOptions)) {
            ServerProbe probe = new ServerProbe(confab.pid(), work, Boolean.getBoolean("bench.profile"));
            if (scenarios.contains("rest")) {
                results.put("rest", rest(confab.base(), probe, Integer.getInteger("bench.rest-rate", 1000), seconds / 2));
            }
            if (scenarios.contains("browser")) {
                int runs = Integer.getInteger("bench.browser-runs", 5);
                results.put("browser", new BrowserScenario(confab.base()).run(runs, Math.max(3, runs / 2 + 1)));
            }
            if (scenarios.contains("signalling") || scenarios.contains("overload")) {
                results.put("signalling", new SignallingScenario(confab.base(), probe).run(
                        Integer.getInteger("bench.participants", 1000), Integer.getInteger("bench.rate", 2000),
                        Integer.getInteger("bench.warmup-seconds", 5), seconds,
                        Integer.getInteger("bench.chat-step-seconds", 5), scenarios.contains("signalling"),
                        scenarios.contains("overload")));
            }
        }
        if (seed != null && results.containsKey("signalling")) {
            results.put("confabOverSeed", overSeed(results, seed));
        }
        return results;
    }

    /**
     * The seed peer ({@link SeedPeer}) under the signalling scenario's steady parts with the same settings, run
     * right before Confab's on the same machine, so that the two are compared within one run.
     */
    private static Map<String, Object> seed(Path work) throws Exception {
        try (SeedPeer peer = SeedPeer.start(Path.of(System.getProperty("bench.seed-dir", "target/seed")),
                work.resolve("seed.log"))) {
            return new SignallingScenario(List.of(peer.base()), ServerProbe.ofSeed(peer, work),
                    SignallingScenario.seedMeetings()).run(Integer.getInteger("bench.participants", 1000),
                    Integer.getInteger("bench.rate", 2000), Integer.getInteger("bench.warmup-seconds", 5),
                    Integer.getInteger("bench.seconds", 20), Integer.getInteger("bench.chat-step-seconds", 5), true, false);
        }
    }

    /** Confab ÷ the seed for the figures issue 18 sets targets on (chat: higher is better; the rest: lower). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> overSeed(Map<String, Object> results, Map<String, Object> seed) {
        Map<String, Object> confab = (Map<String, Object>) results.get("signalling");
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("relayCpuPer1000", ratio(confab, seed, "relay", "serverCpuMsPer1000Messages"));
        ratios.put("relayP99", ratio(confab, seed, "relay", "p99Ms"));
        ratios.put("joinP99", ratio(confab, seed, "joinP99Ms"));
        ratios.put("warmJoinP99", ratio(confab, seed, "warmJoin", "p99Ms"));
        ratios.put("chatDeliveredPerSecondUnderLimit", ratio(confab, seed, "chat", "deliveredPerSecondUnderLimit"));
        ratios.put("residentPerParticipant", ratio(confab, seed, "residentPerParticipantKiB"));
        ratios.put("heapPerParticipant", ratio(confab, seed, "heapPerParticipantKiB"));
        return ratios;
    }

    /**
     * {@code bench.server-options}: extra JVM options for every server the bench starts. When CPU-profiling,
     * async-profiler is loaded at start too (idle until a measured window starts it): loaded into a running server,
     * a profiler coincided with the JVM throwing most of its compiled code away (15 153 methods in one sweep), and
     * the window would then measure recompilation on top of the JIT's own share.
     */
    private static List<String> serverOptions() {
        List<String> options = new ArrayList<>();
        String given = System.getProperty("bench.server-options", "").strip();
        if (!given.isEmpty()) {
            options.addAll(List.of(given.split("\\s+")));
        }
        ServerProbe.cpuProfiler().ifPresent(library -> options.add("-agentpath:" + library));
        return List.copyOf(options);
    }

    private static ConfabServer startConfab(String server, Path work, Path war, List<String> jvmOptions)
            throws java.io.IOException {
        // the load generator speaks for many clients (X-Forwarded-For from loopback), as a load balancer would
        Map<String, String> settings = Map.of("confab.data.dir", Files.createTempDirectory(work, "store").toString(),
                "confab.http.trusted-proxies", "127.0.0.1");
        return Servers.start(server, work, settings, war, Servers.STORE_CHECK, jvmOptions, Servers.freePort());
    }

    /**
     * Logins per second with 4 concurrent callers (bcrypt-bound by design), then {@code GET /api/v1/auth/me}
     * open-loop at {@code rate} requests/s after a 3 s warm-up: latency from each request's send to its response.
     */
    private static Map<String, Object> rest(URI base, ServerProbe server, int rate, int seconds) throws Exception {
        Api api = new Api(base);
        String username = Api.uniqueUsername("rest");
        api.post("api/v1/auth/register", Api.json(Map.of("username", username, "password", "correct horse")), null).expect(201);
        String login = Api.json(Map.of("username", username, "password", "correct horse"));
        long loginUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        AtomicLong logins = new AtomicLong();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread caller = new Thread(() -> {
                while (System.nanoTime() < loginUntil) {
                    api.post("api/v1/auth/login", login, null).expect(200);
                    logins.incrementAndGet();
                }
            });
            caller.start();
            callers.add(caller);
        }
        for (Thread caller : callers) {
            caller.join();
        }
        String token = api.login(username, "correct horse").getString("token");

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        java.net.http.HttpRequest me = java.net.http.HttpRequest.newBuilder(base.resolve("api/v1/auth/me"))
                .header("Authorization", "Bearer " + token).build();
        Percentiles latency = new Percentiles();
        AtomicLong failures = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        // At most 64 requests in flight, so at most 64 connections (the JDK client opens one per request in flight and
        // ran out of file descriptors against a server that fell behind); a request that waits for one is still
        // timed from when the schedule sent it, so waiting counts in its latency.
        java.util.concurrent.ExecutorService meCallers = java.util.concurrent.Executors.newFixedThreadPool(64);
        Load load = Load.start(rate, n -> {
            long start = System.nanoTime();
            sent.incrementAndGet();
            meCallers.execute(() -> {
                try {
                    var response = http.send(me, java.net.http.HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        failures.incrementAndGet();
                    } else {
                        latency.add(System.nanoTime() - start);
                    }
                } catch (java.io.IOException e) {
                    failures.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        });
        // warm-up at the same rate, not counted: a server measured seconds after its boot is measured while C2 still
        // compiles the request path (the first profile of this scenario: 11 % JIT, 5 % interpreted, 7 ms CPU a request)
        Thread.sleep(Integer.getInteger("bench.rest-warmup-seconds", 30) * 1000L);
        ServerProbe.Window window = server.measure("rest", seconds, latency::clear, sent::get);
        load.stop();
        meCallers.shutdownNow();
        Thread.sleep(2000);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bcryptCost", 12);
        result.put("loginsPerSecond", round(logins.get() / 5.0));
        result.put("meTargetRatePerSecond", rate);
        result.put("meMeasuredSeconds", seconds);
        result.put("meP50Ms", round(latency.millis(50)));
        result.put("meP99Ms", round(latency.millis(99)));
        result.put("meRequests", window.counted());
        result.put("meCompletedPerSecond", round(latency.count() / (double) seconds));
        result.put("meFailures", failures.get());
        result.put("meServerCpuCores", round(window.serverCores()));
        result.put("meServerCpuMsPerRequest", round(window.serverCpuSeconds() * 1000 / Math.max(1, latency.count()))); // per answered request
        return result;
    }

    /** The same server, same options, with a WAR holding one static page: the floor under Confab's start. */
    private static double coldStartOfEmptyWar(String server, Path work) throws Exception {
        Path war = work.resolve("empty.war");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(war))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("index.html"));
            zip.write("<!DOCTYPE html><title>empty</title>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        long launched = System.nanoTime();
        try (ConfabServer ignored = Servers.start(server, work, Map.of(), war, "UP", List.of(), Servers.freePort())) {
            return round((System.nanoTime() - launched) / 1e9);
        }
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ", load average " + String.format("%.2f", java.lang.management.ManagementFactory
                .getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** {@code numerator}'s figure at {@code path} (nested maps, then the figure's name) over {@code denominator}'s. */
    static double ratio(Map<String, Object> numerator, Map<String, Object> denominator, String... path) {
        return round(figure(numerator, path) / figure(denominator, path));
    }

    @SuppressWarnings("unchecked")
    private static double figure(Map<String, Object> result, String... path) {
        Object value = result;
        for (String key : path) {
            value = ((Map<String, Object>) value).get(key);
        }
        return ((Number) value).doubleValue();
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    @SuppressWarnings("unchecked")
    private static JsonObject toJsonObject(Map<String, Object> values) {
        var builder = Json.createObjectBuilder();
        values.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                builder.add(k, toJsonObject((Map<String, Object>) m));
            } else if (v instanceof List<?> list) {
                var array = Json.createArrayBuilder();
                list.forEach(item -> array.add(item instanceof Map<?, ?> m ? toJsonObject((Map<String, Object>) m)
                        : item instanceof Number n ? Json.createValue(n.doubleValue()) : Json.createValue(String.valueOf(item))));
                builder.add(k, array);
            } else if (v instanceof Integer || v instanceof Long) {
                builder.add(k, ((Number) v).longValue());
            } else if (v instanceof Number n) {
                builder.add(k, Json.createValue(n.doubleValue()));
            } else {
                builder.add(k, String.valueOf(v));
            }
        });
        return builder.build();
    }

    private static String pretty(JsonObject object) {
        java.io.StringWriter out = new java.io.StringWriter();
        Json.createWriterFactory(Map.of("jakarta.json.stream.JsonGenerator.prettyPrinting", true)).createWriter(out).write(object);
        return out.toString().strip();
    }
}
