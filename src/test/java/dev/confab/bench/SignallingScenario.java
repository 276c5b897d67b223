package dev.confab.bench;

import dev.confab.it.support.Api;
import jakarta.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * N participants in meetings of 4, each with its own participant token and WebSocket: join latency, heap per
 * connected participant, open-loop signal relay (latency, loss, errors, server CPU), then chat fan-out stepped up
 * until p99 delivery passes 50 ms. Every latency is taken on this JVM's clock; the send time travels in the message.
 *
 * <p>Given several nodes of a cluster, the participants of each meeting are spread over them in turn (REST goes to
 * the first), and every signal goes to someone on another node than its sender: the relay figures are cross-node.
 * A chat reaches one other on its sender's node and two elsewhere.
 */
final class SignallingScenario {

    static final int ROOM = 4;
    private static final double CHAT_P99_LIMIT_MS = 50;
    private static final int[] CHAT_STEPS = {50, 100, 200, 400, 800, 1600, 3200, 6400}; // 6400: the seed held 3200 after 120 s of warm-up

    /** How a meeting's participants are made: through Confab's REST API, or (the seed) by naming a room. */
    interface Meetings {
        List<BenchClient> meeting(int index, BiConsumer<BenchClient, JsonObject> onRelayed);
    }

    private final List<URI> nodes;
    private final ServerProbe server;
    private final Meetings meetings;
    private final List<List<BenchClient>> rooms = new ArrayList<>();
    private final AtomicLong received = new AtomicLong();
    /** Where a relayed message's latency goes; swapped between phases. */
    private volatile BiConsumer<String, JsonObject> sink = (self, m) -> { };

    SignallingScenario(URI base, ServerProbe server) {
        this(List.of(base), server);
    }

    SignallingScenario(List<URI> nodes, ServerProbe server) {
        this(nodes, server, confabMeetings(nodes.get(0)));
    }

    SignallingScenario(List<URI> nodes, ServerProbe server, Meetings meetings) {
        this.nodes = List.copyOf(nodes);
        this.server = server;
        this.meetings = meetings;
    }

    /** Confab's meetings: a host account makes each one over REST; the host and three guests take part. */
    static Meetings confabMeetings(URI base) {
        Api api = new Api(base);
        String host = api.newUser("bench").getString("token");
        return (index, onRelayed) -> {
            String code = api.post("api/v1/meetings", "{}", host).expect(201).object().getString("code");
            List<BenchClient> room = new ArrayList<>();
            for (int i = 0; i < ROOM; i++) {
                JsonObject joined = api.post("api/v1/meetings/" + code + "/participants",
                        i == 0 ? "{}" : "{\"displayName\":\"p" + i + "\"}", i == 0 ? host : null).expect(201).object();
                room.add(new ConfabClient(code, joined.getString("participantId"), joined.getString("token"), onRelayed));
            }
            return room;
        };
    }

    /** The seed's meetings: four sockets that join the same room path. */
    static Meetings seedMeetings() {
        return (index, onRelayed) -> {
            List<BenchClient> room = new ArrayList<>();
            for (int i = 0; i < ROOM; i++) {
                room.add(new SeedClient("/bench/meeting-" + index, onRelayed));
            }
            return room;
        };
    }

    Map<String, Object> run(int participants, int rate, int warmupSeconds, int seconds, int chatStepSeconds,
                            boolean steady, boolean overload) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        for (int r = 0; r < participants / ROOM; r++) {
            rooms.add(meetings.meeting(r, (client, m) -> {
                received.incrementAndGet();
                sink.accept(client.participantId(), m);
            }));
        }
        List<BenchClient> all = rooms.stream().flatMap(List::stream).toList();
        long heapWithNone = server.heapAfterGcBytes();
        long residentWithNone = server.residentBytes();
        server.histogram("heap-none");

        // The sockets' callbacks on a few threads of our own (bench.generator-threads): the client's default cached
        // pool started and retired threads all through a run (a hundred at 800 chats/s), costing the generator CPU.
        ExecutorService callbacks = Executors.newFixedThreadPool(Integer.getInteger("bench.generator-threads", 8), r -> {
            Thread thread = new Thread(r, "bench-socket-callbacks");
            thread.setDaemon(true);
            return thread;
        });
        HttpClient http = HttpClient.newBuilder().executor(callbacks).build();
        Percentiles join = joinAll(rooms, http, "join");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (all.stream().anyMatch(c -> c.others.get() < ROOM - 1) && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        long heapConnected = server.heapAfterGcBytes();
        long residentConnected = server.residentBytes();
        server.histogram("heap-connected");
        result.put("participants", all.size());
        result.put("nodes", nodes.size());
        result.put("meetings", rooms.size());
        result.put("joinP50Ms", Bench.round(join.millis(50)));
        result.put("joinP99Ms", Bench.round(join.millis(99)));
        result.put("heapWithNoneMiB", Bench.round(heapWithNone / 1048576.0));
        result.put("heapConnectedMiB", Bench.round(heapConnected / 1048576.0));
        result.put("heapPerParticipantKiB", Bench.round((heapConnected - heapWithNone) / 1024.0 / all.size()));
        result.put("residentWithNoneMiB", Bench.round(residentWithNone / 1048576.0));
        result.put("residentConnectedMiB", Bench.round(residentConnected / 1048576.0));
        result.put("residentPerParticipantKiB", Bench.round((residentConnected - residentWithNone) / 1024.0 / all.size()));

        if (steady) {
            result.put("relay", relay(rate, warmupSeconds, seconds));
            // before the chat: with the embedded store, a join's history read scans every stored chat
            // (docs/benchmarks.md), which would be measured instead of the join path
            result.put("warmJoin", warmJoin(participants, http));
            result.put("chat", chat(chatStepSeconds));
        }
        if (overload) {
            result.put("overload", overload());
        }

        int errors = all.stream().mapToInt(c -> c.errors.get()).sum();
        Map<String, Object> closeCodes = new LinkedHashMap<>();
        all.stream().filter(c -> c.closeCode != null)
                .forEach(c -> closeCodes.merge(String.valueOf(c.closeCode), 1L, (a, b) -> (Long) a + (Long) b));
        Map<String, Object> errorCodes = new LinkedHashMap<>();
        all.forEach(c -> c.errorCodes.forEach((code, n) -> errorCodes.merge(code, (long) n, (a, b) -> (Long) a + (Long) b)));
        all.forEach(BenchClient::close);
        callbacks.shutdownNow();
        result.put("errors", errors);
        result.put("socketsClosedByServer", all.stream().filter(c -> c.closeCode != null).count());
        result.put("closeCodes", closeCodes);
        result.put("errorCodes", errorCodes);
        return result;
    }

    /** Signals from random participants to random others in their meeting at {@code rate}/s, open-loop. */
    private Map<String, Object> relay(int rate, int warmupSeconds, int seconds) throws InterruptedException {
        Percentiles latency = new Percentiles();
        AtomicLong sent = new AtomicLong();
        long receivedAtStart = received.get();
        sink = (self, m) -> {
            if ("signal".equals(m.getString("type"))) {
                latency.add(System.nanoTime() - m.getJsonObject("data").getJsonNumber("t").longValue());
            }
        };
        Load load = Load.start(rate, n -> {
            signalAtRandom("\"candidate\":\"candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host\"");
            sent.incrementAndGet();
        });
        Thread.sleep(warmupSeconds * 1000L);
        ServerProbe.Window window = server.measure("relay", seconds, latency::clear, received::get);
        long relayed = window.counted();
        load.stop();
        drain(received);
        sink = (self, m) -> { };

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("targetRatePerSecond", rate);
        result.put("measuredSeconds", seconds);
        result.put("relayedPerSecond", Bench.round(relayed / (double) seconds));
        result.put("p50Ms", Bench.round(latency.millis(50)));
        result.put("p99Ms", Bench.round(latency.millis(99)));
        result.put("p999Ms", Bench.round(latency.millis(99.9)));
        result.put("samples", latency.count());
        result.put("sent", sent.get());
        result.put("lost", sent.get() - (received.get() - receivedAtStart));
        result.put("socketsClosedByServerSoFar", closedSoFar());
        result.put("serverCpuCores", Bench.round(window.serverCores()));
        result.put("serverCpuMsPer1000Messages", Bench.round(window.serverCpuSeconds() * 1000 / Math.max(1, relayed) * 1000));
        result.put("generatorCpuCores", Bench.round(window.generatorCores()));
        return result;
    }

    /**
     * Opens every socket of {@code rooms}, one after the other without waiting for the joins (open loop, as fast as
     * the server takes connections), and times each socket open → {@code welcome}; profiled as {@code name}.
     */
    private Percentiles joinAll(List<List<BenchClient>> rooms, HttpClient http, String name) throws Exception {
        Percentiles join = new Percentiles();
        try (ServerProbe.Profiling ignored = server.profiling(name)) {
            for (List<BenchClient> room : rooms) {
                for (int i = 0; i < room.size(); i++) {
                    BenchClient client = room.get(i);
                    URI node = nodes.get(i % nodes.size());
                    client.open(http, node, Api.randomPrivateAddress()).get(30, TimeUnit.SECONDS);
                }
            }
            for (List<BenchClient> room : rooms) {
                for (BenchClient client : room) {
                    join.add(client.welcomedAtNanos.get(60, TimeUnit.SECONDS) - client.openedAtNanos);
                }
            }
        }
        return join;
    }

    /**
     * The same join storm again on the warmed-up server (after the relay): as many new participants in new
     * meetings, beside the first ones (still connected), then closed. The first storm meets a JVM minutes old, whose join path the JIT
     * has not compiled yet (a third of the server's CPU samples in that window).
     */
    private Map<String, Object> warmJoin(int participants, HttpClient http) throws Exception {
        List<List<BenchClient>> more = new ArrayList<>();
        for (int r = 0; r < participants / ROOM; r++) {
            more.add(meetings.meeting(rooms.size() + r, (client, m) -> { }));
        }
        Percentiles join = joinAll(more, http, "join-warm");
        more.forEach(room -> room.forEach(BenchClient::close));
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("p50Ms", Bench.round(join.millis(50)));
        figures.put("p99Ms", Bench.round(join.millis(99)));
        System.out.println("warm join " + figures);
        return figures;
    }

    /**
     * Chat from random participants to their whole meeting, stepping the rate up; each step counts deliveries to
     * the other three (the sender's own copy is its acknowledgement, not a delivery). The answer is the highest
     * step with p99 under 50 ms, nothing lost and nothing refused ({@code busy} chats are not counted as lost).
     */
    private Map<String, Object> chat(int stepSeconds) throws InterruptedException {
        warmUpChat();
        List<Object> steps = new ArrayList<>();
        int bestRate = 0;
        double bestDelivered = 0;
        for (int rate : CHAT_STEPS) {
            String step = "s" + rate;
            Percentiles latency = new Percentiles();
            AtomicLong delivered = new AtomicLong();
            AtomicLong deliveredMeasured = new AtomicLong();
            AtomicLong sent = new AtomicLong();
            AtomicBoolean measuring = new AtomicBoolean();
            long busyBefore = busyCount(rooms.stream().flatMap(List::stream).toList());
            sink = (self, m) -> {
                if (!"chat".equals(m.getString("type")) || self.equals(m.getString("from"))) {
                    return;
                }
                String text = m.getString("text");
                int space = text.indexOf(' ');
                if (!text.substring(0, space).equals(step)) {
                    return;
                }
                delivered.incrementAndGet();
                if (measuring.get()) {
                    deliveredMeasured.incrementAndGet();
                    latency.add(System.nanoTime() - Long.parseLong(text.substring(space + 1)));
                }
            };
            Load load = Load.start(rate, n -> {
                chatAtRandom(step);
                sent.incrementAndGet();
            });
            Thread.sleep(1000);
            measuring.set(true);
            ServerProbe.Window window = server.measure("chat-" + rate, stepSeconds, () -> { }, delivered::get);
            measuring.set(false);
            load.stop();
            drain(delivered);
            long refused = busyCount(rooms.stream().flatMap(List::stream).toList()) - busyBefore;
            long lost = (sent.get() - refused) * (ROOM - 1) - delivered.get();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("chatsPerSecond", rate);
            figures.put("deliveredPerSecond", Bench.round(deliveredMeasured.get() / (double) stepSeconds));
            figures.put("p50Ms", Bench.round(latency.millis(50)));
            figures.put("p99Ms", Bench.round(latency.millis(99)));
            figures.put("lost", lost);
            figures.put("refusedBusy", refused);
            figures.put("socketsClosedByServerSoFar", closedSoFar());
            figures.put("serverCpuCores", Bench.round(window.serverCores()));
            figures.put("generatorCpuCores", Bench.round(window.generatorCores()));
            steps.add(figures);
            boolean passed = latency.millis(99) < CHAT_P99_LIMIT_MS && lost == 0 && refused == 0;
            System.out.println("chat step " + figures + (passed ? "" : " → over the limit"));
            if (!passed) {
                break;
            }
            bestRate = rate;
            bestDelivered = deliveredMeasured.get() / (double) stepSeconds;
        }
        sink = (self, m) -> { };
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("p99LimitMs", CHAT_P99_LIMIT_MS);
        result.put("stepSeconds", stepSeconds);
        result.put("maxChatsPerSecondUnderLimit", bestRate);
        result.put("deliveredPerSecondUnderLimit", Bench.round(bestDelivered));
        result.put("steps", steps);
        return result;
    }

    /**
     * Chat at {@value #CHAT_WARMUP_RATE}/s for {@code bench.chat-warmup-seconds} (30), unmeasured, before the steps:
     * the relay's warm-up leaves the chat path cold, and a profile of the first steps without this was 36-72 % C2
     * compiling it.
     */
    private void warmUpChat() throws InterruptedException {
        int seconds = Integer.getInteger("bench.chat-warmup-seconds", 30);
        if (seconds <= 0) {
            return;
        }
        AtomicLong delivered = new AtomicLong();
        sink = (self, m) -> {
            if ("chat".equals(m.getString("type"))) {
                delivered.incrementAndGet();
            }
        };
        Load load = Load.start(CHAT_WARMUP_RATE, n -> chatAtRandom("warm-up"));
        Thread.sleep(seconds * 1000L);
        load.stop();
        drain(delivered);
    }

    private static final int CHAT_WARMUP_RATE = 200;

    /** Chat rates of the overload scenario, each held for {@link #OVERLOAD_SECONDS} with signals going on. */
    private static final int[] OVERLOAD_CHATS = {1000, 4000};
    private static final int OVERLOAD_SECONDS = 10;
    private static final int OVERLOAD_SIGNALS_PER_SECOND = 200;

    /**
     * Chat far past capacity (1 000, then 4 000 chats/s, 10 s each) while signals flow at 200/s: what the server
     * refuses ({@code busy}), what it delivers, whether any signal is lost or any socket closed, the signal p99
     * during each burst, and how long after the last burst chat is back under 50 ms.
     */
    private Map<String, Object> overload() throws InterruptedException {
        List<BenchClient> all = rooms.stream().flatMap(List::stream).toList();
        List<Object> steps = new ArrayList<>();
        for (int chatRate : OVERLOAD_CHATS) {
            String step = "o" + chatRate;
            Percentiles signalLatency = new Percentiles();
            Percentiles chatLatency = new Percentiles();
            AtomicLong signalsSent = new AtomicLong();
            AtomicLong signalsReceived = new AtomicLong();
            AtomicLong chatsSent = new AtomicLong();
            AtomicLong accepted = new AtomicLong();
            AtomicLong delivered = new AtomicLong();
            long busyBefore = busyCount(all);
            long closedBefore = closedSoFar();
            sink = (self, m) -> {
                String type = m.getString("type");
                if ("signal".equals(type) && m.getJsonObject("data").containsKey("o")) {
                    signalsReceived.incrementAndGet();
                    signalLatency.add(System.nanoTime() - m.getJsonObject("data").getJsonNumber("t").longValue());
                } else if ("chat".equals(type)) {
                    String text = m.getString("text");
                    int space = text.indexOf(' ');
                    if (space < 0 || !text.substring(0, space).equals(step)) {
                        return;
                    }
                    if (self.equals(m.getString("from"))) {
                        accepted.incrementAndGet();
                    } else {
                        delivered.incrementAndGet();
                        chatLatency.add(System.nanoTime() - Long.parseLong(text.substring(space + 1)));
                    }
                }
            };
            Load signals = Load.start(OVERLOAD_SIGNALS_PER_SECOND, n -> {
                signalAtRandom("\"o\":1");
                signalsSent.incrementAndGet();
            });
            Load chats = Load.start(chatRate, n -> {
                chatAtRandom(step);
                chatsSent.incrementAndGet();
            });
            ServerProbe.Window window = server.measure("overload-" + chatRate, OVERLOAD_SECONDS, () -> { }, chatsSent::get);
            chats.stop();
            signals.stop();
            drain(delivered);
            long refused = busyCount(all) - busyBefore;
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("chatsPerSecond", chatRate);
            figures.put("seconds", OVERLOAD_SECONDS);
            figures.put("chatsSent", chatsSent.get());
            figures.put("chatsAccepted", accepted.get());
            figures.put("chatsRefusedBusy", refused);
            figures.put("chatsUnanswered", chatsSent.get() - accepted.get() - refused);
            figures.put("chatDeliveriesPerSecond", Bench.round(delivered.get() / (double) OVERLOAD_SECONDS));
            figures.put("chatDeliveriesLost", accepted.get() * (ROOM - 1) - delivered.get());
            figures.put("acceptedChatP50Ms", Bench.round(chatLatency.millis(50)));
            figures.put("acceptedChatP99Ms", Bench.round(chatLatency.millis(99)));
            figures.put("signalsSent", signalsSent.get());
            figures.put("signalsLost", signalsSent.get() - signalsReceived.get());
            figures.put("signalP50Ms", Bench.round(signalLatency.millis(50)));
            figures.put("signalP99Ms", Bench.round(signalLatency.millis(99)));
            figures.put("socketsClosedByServer", closedSoFar() - closedBefore);
            figures.put("serverCpuCores", Bench.round(window.serverCores()));
            figures.put("generatorCpuCores", Bench.round(window.generatorCores()));
            System.out.println("overload step " + figures);
            steps.add(figures);
        }
        // recovery: how long after the last burst a chat is delivered within 50 ms again
        long burstEnded = System.nanoTime();
        double recoverySeconds = -1;
        AtomicLong probeDeliveredFast = new AtomicLong();
        sink = (self, m) -> {
            if ("chat".equals(m.getString("type")) && !self.equals(m.getString("from")) && m.getString("text").startsWith("probe ")) {
                long latency = System.nanoTime() - Long.parseLong(m.getString("text").substring(6));
                if (latency < TimeUnit.MILLISECONDS.toNanos(50)) {
                    probeDeliveredFast.compareAndSet(0, System.nanoTime());
                }
            }
        };
        for (int i = 0; i < 100 && probeDeliveredFast.get() == 0; i++) {
            rooms.get(i % rooms.size()).get(0).chat("probe " + System.nanoTime());
            Thread.sleep(100);
        }
        if (probeDeliveredFast.get() != 0) {
            recoverySeconds = Bench.round((probeDeliveredFast.get() - burstEnded) / 1e9);
        }
        sink = (self, m) -> { };
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("signalsPerSecond", OVERLOAD_SIGNALS_PER_SECOND);
        result.put("steps", steps);
        result.put("chatBackUnder50MsAfterSeconds", recoverySeconds);
        return result;
    }

    /** A signal from a random participant to a random other in its meeting, stamped with the send time. */
    private void signalAtRandom(String moreData) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        List<BenchClient> room = rooms.get(random.nextInt(rooms.size()));
        int from = random.nextInt(ROOM);
        // one node: anyone else; two: someone on the other node (the next or the previous in the room)
        int to = nodes.size() == 2 ? (from + 1 + 2 * random.nextInt(ROOM / 2)) % ROOM
                : (from + 1 + random.nextInt(ROOM - 1)) % ROOM;
        room.get(from).signal(room.get(to).participantId(), "{\"t\":" + System.nanoTime() + "," + moreData + "}");
    }

    /** A chat to everyone from a random participant: "<step> <send time>". */
    private void chatAtRandom(String step) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        BenchClient from = rooms.get(random.nextInt(rooms.size())).get(random.nextInt(ROOM));
        from.chat(step + " " + System.nanoTime());
    }

    private static long busyCount(List<BenchClient> all) {
        return all.stream().mapToLong(c -> c.errorCodes.getOrDefault("busy", 0)).sum();
    }

    private long closedSoFar() {
        return rooms.stream().flatMap(List::stream).filter(c -> c.closeCode != null).count();
    }

    /** Waits for the last messages: until {@code counter} has not moved for a second (at most 15 s). */
    private static void drain(AtomicLong counter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        long last = -1;
        while (counter.get() != last && System.nanoTime() < deadline) {
            last = counter.get();
            Thread.sleep(1000);
        }
    }
}
