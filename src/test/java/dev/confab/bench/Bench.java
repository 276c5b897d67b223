package dev.confab.bench;

import dev.confab.it.support.Api;
import dev.confab.it.support.PayaraMicro;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark command ({@code mvn -Pbench verify}): starts Confab on Payara Micro as a user would (embedded
 * store, its own JVM), drives it from this JVM, prints a table and writes {@code target/bench/results.json}.
 *
 * <p>Scenario 1, signalling: N participants in meetings of 4, each with its own token and WebSocket. Join latency
 * is socket open → {@code welcome}; relay latency is a {@code signal}'s send → its arrival at the target, both
 * timestamps from this JVM's clock (the send time travels in the message). Sends are open-loop: scheduled at the
 * target aggregate rate, never waiting for replies.
 *
 * <p>Also: cold start of the same Payara Micro with an empty WAR next to Confab's; REST login rate and
 * {@code GET /auth/me} latency at a fixed rate.
 *
 * <p>Settings (system properties): {@code bench.participants} (1000), {@code bench.rate} (2000 msg/s),
 * {@code bench.warmup-seconds} (5), {@code bench.seconds} (20), {@code bench.rest-rate} (1000 req/s).
 */
public final class Bench {

    private static final int ROOM = 4;

    public static void main(String[] args) throws Exception {
        int participants = Integer.getInteger("bench.participants", 1000);
        int rate = Integer.getInteger("bench.rate", 2000);
        int warmupSeconds = Integer.getInteger("bench.warmup-seconds", 5);
        int seconds = Integer.getInteger("bench.seconds", 20);
        Path work = Files.createDirectories(Path.of("target", "bench"));
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("machine", machine());
        results.put("startedAt", Instant.now().toString());

        results.put("coldStartEmptyWarToReadySeconds", coldStartOfEmptyWar(work));
        long launched = System.nanoTime();
        // default settings, bcrypt cost 12 included: the login rate is what production would see
        try (PayaraMicro micro = PayaraMicro.start(work, Map.of(
                "confab.data.dir", Files.createTempDirectory(work, "store").toString()))) {
            results.put("coldStartToReadySeconds", round((System.nanoTime() - launched) / 1e9));
            results.put("rest", rest(micro.base(), Integer.getInteger("bench.rest-rate", 1000), seconds / 2));
            results.put("signalling", signalling(micro.base(), participants, rate, warmupSeconds, seconds));
        }
        String json = pretty(toJsonObject(results));
        Files.writeString(work.resolve("results.json"), json);
        System.out.println();
        System.out.println("Confab benchmark — " + results.get("machine"));
        System.out.println(json);
    }

    /**
     * Logins per second with 4 concurrent callers (bcrypt-bound by design), then {@code GET /api/v1/auth/me}
     * open-loop at {@code rate} requests/s: latency from each request's send to its response.
     */
    private static Map<String, Object> rest(URI base, int rate, int seconds) throws Exception {
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
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        double perTick = rate / 1000.0;
        double[] owed = {0};
        ticker.scheduleAtFixedRate(() -> {
            owed[0] += perTick;
            while (owed[0] >= 1) {
                owed[0] -= 1;
                long start = System.nanoTime();
                sent.incrementAndGet();
                http.sendAsync(me, java.net.http.HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                    if (error != null || response.statusCode() != 200) {
                        failures.incrementAndGet();
                    } else {
                        latency.add(System.nanoTime() - start);
                    }
                });
            }
        }, 1, 1, TimeUnit.MILLISECONDS);
        Thread.sleep(seconds * 1000L);
        ticker.shutdown();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        Thread.sleep(2000);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("bcryptCost", 12);
        result.put("loginsPerSecond", round(logins.get() / 5.0));
        result.put("meTargetRatePerSecond", rate);
        result.put("meMeasuredSeconds", seconds);
        result.put("meP50Ms", round(latency.millis(50)));
        result.put("meP99Ms", round(latency.millis(99)));
        result.put("meRequests", sent.get());
        result.put("meFailures", failures.get());
        return result;
    }

    /** The same Payara Micro, same options, with a WAR holding one static page: the floor under Confab's start. */
    private static double coldStartOfEmptyWar(Path work) throws Exception {
        Path war = work.resolve("empty.war");
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(war))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("index.html"));
            zip.write("<!DOCTYPE html><title>empty</title>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        long launched = System.nanoTime();
        try (PayaraMicro ignored = PayaraMicro.start(work, Map.of(), war, "UP")) {
            return round((System.nanoTime() - launched) / 1e9);
        }
    }

    private static Map<String, Object> signalling(URI base, int participants, int rate, int warmupSeconds, int seconds)
            throws Exception {
        Api api = new Api(base);
        String host = api.newUser("bench").getString("token");
        List<List<BenchClient>> rooms = new ArrayList<>();
        Percentiles relay = new Percentiles();
        AtomicLong received = new AtomicLong();
        AtomicLong measuring = new AtomicLong(); // 1 while latencies count
        for (int r = 0; r < participants / ROOM; r++) {
            String code = api.post("api/v1/meetings", "{}", host).expect(201).object().getString("code");
            List<BenchClient> room = new ArrayList<>();
            for (int i = 0; i < ROOM; i++) {
                JsonObject joined = api.post("api/v1/meetings/" + code + "/participants",
                        i == 0 ? "{}" : "{\"displayName\":\"p" + i + "\"}", i == 0 ? host : null).expect(201).object();
                room.add(new BenchClient(code, joined.getString("participantId"), joined.getString("token"), m -> {
                    received.incrementAndGet();
                    if (measuring.get() == 1) {
                        relay.add(System.nanoTime() - m.getJsonObject("data").getJsonNumber("t").longValue());
                    }
                }));
            }
            rooms.add(room);
        }

        HttpClient http = HttpClient.newHttpClient();
        Percentiles join = new Percentiles();
        List<BenchClient> all = rooms.stream().flatMap(List::stream).toList();
        for (BenchClient client : all) {
            client.open(http, URI.create("ws://127.0.0.1:" + base.getPort() + "/ws/meetings/" + client.meetingCode))
                    .get(30, TimeUnit.SECONDS);
        }
        for (BenchClient client : all) {
            long welcomed = client.welcomedAtNanos.get(60, TimeUnit.SECONDS);
            join.add(welcomed - client.openedAtNanos);
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (all.stream().anyMatch(c -> c.others.get() < ROOM - 1) && System.nanoTime() < until) {
            Thread.sleep(100);
        }

        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        AtomicLong sent = new AtomicLong();
        AtomicLong sentMeasured = new AtomicLong();
        double perTick = rate / 1000.0;
        double[] owed = {0};
        ticker.scheduleAtFixedRate(() -> {
            owed[0] += perTick;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (owed[0] >= 1) {
                owed[0] -= 1;
                List<BenchClient> room = rooms.get(random.nextInt(rooms.size()));
                int from = random.nextInt(ROOM);
                int to = (from + 1 + random.nextInt(ROOM - 1)) % ROOM;
                room.get(from).send("{\"type\":\"signal\",\"to\":\"" + room.get(to).participantId
                        + "\",\"data\":{\"t\":" + System.nanoTime() + ",\"candidate\":\"candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host\"}}");
                sent.incrementAndGet();
                if (measuring.get() == 1) {
                    sentMeasured.incrementAndGet();
                }
            }
        }, 1, 1, TimeUnit.MILLISECONDS);
        Thread.sleep(warmupSeconds * 1000L);
        long receivedBefore = received.get();
        measuring.set(1);
        Thread.sleep(seconds * 1000L);
        measuring.set(0);
        ticker.shutdown();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        Thread.sleep(3000); // let the last messages arrive
        long lost = sent.get() - received.get();

        int errors = all.stream().mapToInt(c -> c.errors.get()).sum();
        long closed = all.stream().filter(c -> c.closeCode != null).count();
        Map<String, Object> closeCodes = new LinkedHashMap<>();
        all.stream().filter(c -> c.closeCode != null).forEach(c -> closeCodes.merge(String.valueOf(c.closeCode), 1L, (a, b) -> (Long) a + (Long) b));
        Map<String, Object> errorCodes = new LinkedHashMap<>();
        all.forEach(c -> c.errorCodes.forEach((code, n) -> errorCodes.merge(code, (long) n, (a, b) -> (Long) a + (Long) b)));
        all.forEach(BenchClient::close);

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("participants", all.size());
        result.put("meetings", rooms.size());
        result.put("joinP50Ms", round(join.millis(50)));
        result.put("joinP99Ms", round(join.millis(99)));
        result.put("targetRatePerSecond", rate);
        result.put("measuredSeconds", seconds);
        result.put("relayedPerSecond", round((received.get() - receivedBefore) / (double) seconds));
        result.put("relayP50Ms", round(relay.millis(50)));
        result.put("relayP99Ms", round(relay.millis(99)));
        result.put("relayP999Ms", round(relay.millis(99.9)));
        result.put("relaySamples", relay.count());
        result.put("sent", sent.get());
        result.put("lost", lost);
        result.put("errors", errors);
        result.put("socketsClosedByServer", closed);
        result.put("closeCodes", closeCodes);
        result.put("errorCodes", errorCodes);
        return result;
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ", load average " + String.format("%.2f", java.lang.management.ManagementFactory
                .getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    @SuppressWarnings("unchecked")
    private static JsonObject toJsonObject(Map<String, Object> values) {
        var builder = Json.createObjectBuilder();
        values.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                builder.add(k, toJsonObject((Map<String, Object>) m));
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
