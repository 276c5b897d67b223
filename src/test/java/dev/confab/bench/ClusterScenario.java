package dev.confab.bench;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import dev.confab.it.support.ConfabServer;
import dev.confab.it.support.Servers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The signalling scenario on one node and then on a cluster of two, both against the same kind of shared store (a
 * MongoDB-wire server on disk in this JVM, as the cluster needs one outside its nodes), in the same run: relay
 * latency and server CPU per 1 000 relayed, summed over the nodes, with every signal crossing between nodes in the
 * cluster; chat fan-out with each chat reaching one participant on its sender's node and two on the other.
 */
final class ClusterScenario {

    private final String server;
    private final Path work;
    private final Path war;
    private final List<String> jvmOptions;

    ClusterScenario(String server, Path work, Path war, List<String> jvmOptions) {
        this.server = server;
        this.work = work;
        this.war = war;
        this.jvmOptions = jvmOptions;
    }

    Map<String, Object> run(int participants, int rate, int warmupSeconds, int seconds, int chatStepSeconds)
            throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        Path dir = Files.createTempDirectory(work, "cluster");
        MongoServer store = new MongoServer(new H2Backend(dir.resolve("store.mv").toString()));
        store.bind("127.0.0.1", 0);
        try {
            String url = "mongodb://127.0.0.1:" + store.getLocalAddress().getPort();
            try (ConfabServer one = node(dir.resolve("one"), url, null, 0)) {
                ServerProbe probe = new ServerProbe(one.pid(), work, Boolean.getBoolean("bench.profile"));
                result.put("oneNode", new SignallingScenario(one.base(), probe)
                        .run(participants, rate, warmupSeconds, seconds, chatStepSeconds, true, false));
            }
            int[] ports = {Servers.freeLowPort(), Servers.freeLowPort()};
            String members = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
            CompletableFuture<ConfabServer> a = CompletableFuture.supplyAsync(() -> node(dir.resolve("a"), url, members, ports[0]));
            CompletableFuture<ConfabServer> b = CompletableFuture.supplyAsync(() -> node(dir.resolve("b"), url, members, ports[1]));
            try (ConfabServer nodeA = a.join(); ConfabServer nodeB = b.join()) {
                nodeA.awaitLog("cluster of 2 members", Duration.ofSeconds(60));
                nodeB.awaitLog("cluster of 2 members", Duration.ofSeconds(60));
                ServerProbe probe = new ServerProbe(List.of(nodeA.pid(), nodeB.pid()), work, Boolean.getBoolean("bench.profile"));
                result.put("twoNodes", new SignallingScenario(List.of(nodeA.base(), nodeB.base()), probe)
                        .run(participants, rate, warmupSeconds, seconds, chatStepSeconds, true, false));
            }
        } finally {
            store.shutdownNow();
        }
        result.put("relayP99TwoNodesOverOne", ratio(result, "relay", "p99Ms"));
        result.put("relayCpuPer1000TwoNodesOverOne", ratio(result, "relay", "serverCpuMsPer1000Messages"));
        result.put("chatDeliveredPerSecondTwoNodesOverOne", ratio(result, "chat", "deliveredPerSecondUnderLimit"));
        return result;
    }

    private ConfabServer node(Path dir, String storeUrl, String members, int clusterPort) {
        Map<String, String> settings = new HashMap<>();
        settings.put("jnosql.mongodb.url", storeUrl);
        settings.put("confab.data.dir", dir.resolve("unused").toString());
        settings.put("confab.http.trusted-proxies", "127.0.0.1");
        // bench.cluster-settings: "key=value,…" for every node of this scenario, one node and two alike
        for (String pair : System.getProperty("bench.cluster-settings", "").split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                settings.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
        }
        if (members != null) {
            settings.put("confab.cluster.members", members);
            settings.put("confab.cluster.port", String.valueOf(clusterPort));
        }
        try {
            Files.createDirectories(dir);
            return Servers.start(server, dir, settings, war, Servers.STORE_CHECK, jvmOptions, Servers.freePort());
        } catch (Exception e) {
            throw new IllegalStateException("a bench node did not start", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static double ratio(Map<String, Object> result, String part, String figure) {
        return Bench.ratio((Map<String, Object>) result.get("twoNodes"), (Map<String, Object>) result.get("oneNode"), part, figure);
    }
}
