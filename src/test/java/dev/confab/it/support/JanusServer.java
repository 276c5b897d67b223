package dev.confab.it.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Debian's Janus (1.1.2) as Confab's SFU, inside a test's network namespace: a configuration folder of the test's
 * own in which only the VideoRoom plugin and the WebSocket transport exist (others left on with their configs
 * missing made Janus crash at start), ICE on {@code v0} only, a private RTP port range, an API secret and a
 * VideoRoom admin key of this run, and sessions kept 30 s for another Confab node to claim once their connection
 * is gone ({@code reclaim_session_timeout}, as docs/deployment.md asks of a cluster's Janus). Stopped (or killed, to test a crash) by its PID.
 */
public final class JanusServer implements AutoCloseable {

    private static final Path LIBS = Path.of("/usr/lib/x86_64-linux-gnu/janus");
    public static final int WS_PORT = 8188;

    private final NetworkNamespace ns;
    private final Path dir;
    private final String apiSecret = UUID.randomUUID().toString();
    private final String adminKey = UUID.randomUUID().toString();
    private final int rtpMin;
    private final int rtpMax;
    private Process process;
    private int starts;

    private JanusServer(NetworkNamespace ns, Path dir, int rtpMin) {
        this.ns = ns;
        this.dir = dir;
        this.rtpMin = rtpMin;
        this.rtpMax = rtpMin + 199;
    }

    public static JanusServer start(NetworkNamespace ns, Path workDir) throws IOException {
        JanusServer janus = new JanusServer(ns, workDir.resolve("janus"), 20_000 + 200 * (int) (Math.random() * 40));
        janus.configure();
        janus.launch();
        return janus;
    }

    private void configure() throws IOException {
        for (String folder : List.of("plugins", "transports", "none")) {
            Files.createDirectories(dir.resolve(folder));
        }
        link("plugins", "libjanus_videoroom.so");
        link("transports", "libjanus_websockets.so");
        Files.writeString(dir.resolve("janus.jcfg"), """
                general: {
                  configs_folder = "%1$s"
                  plugins_folder = "%1$s/plugins"
                  transports_folder = "%1$s/transports"
                  events_folder = "%1$s/none"
                  loggers_folder = "%1$s/none"
                  log_to_stdout = true
                  debug_level = 4
                  api_secret = "%2$s"
                  session_timeout = 60
                  reclaim_session_timeout = 30
                  interface = "%3$s"
                }
                media: {
                  rtp_port_range = "%4$d-%5$d"
                }
                nat: {
                  ice_enforce_list = "v0"
                }
                """.formatted(dir, apiSecret, ns.address(), rtpMin, rtpMax));
        Files.writeString(dir.resolve("janus.plugin.videoroom.jcfg"), """
                general: {
                  admin_key = "%s"
                }
                """.formatted(adminKey));
        Files.writeString(dir.resolve("janus.transport.websockets.jcfg"), """
                general: {
                  json = "compact"
                  ws = true
                  ws_port = %d
                  ws_ip = "%s"
                  wss = false
                }
                admin: {
                  admin_ws = false
                }
                """.formatted(WS_PORT, ns.address()));
    }

    private void link(String folder, String library) throws IOException {
        Path link = dir.resolve(folder).resolve(library);
        if (!Files.exists(link)) {
            Files.createSymbolicLink(link, LIBS.resolve(folder).resolve(library));
        }
    }

    private void launch() throws IOException {
        starts++;
        Path log = dir.resolve("janus-" + starts + ".log");
        process = new ProcessBuilder(ns.inside(List.of("janus", "-F", dir.toString())))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Janus exited at start; see " + log);
            }
            if (Files.readString(log).contains("WebSockets thread started")) {
                return;
            }
            Servers.sleep(100);
        }
        throw new IllegalStateException("Janus did not start within 20 s; see " + log);
    }

    /** Janus's WebSocket API as Confab's server (in the same namespace) reaches it. */
    public URI url() {
        return URI.create("ws://" + ns.address() + ":" + WS_PORT + "/");
    }

    public String apiSecret() {
        return apiSecret;
    }

    public String adminKey() {
        return adminKey;
    }

    public boolean inRtpRange(long port) {
        return port >= rtpMin && port <= rtpMax;
    }

    public long pid() {
        return process.pid();
    }

    /** A hang: SIGSTOP ({@code frozen} true) or SIGCONT, by its PID. */
    public void freeze(boolean frozen) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid()))
                .redirectErrorStream(true).start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill " + (frozen ? "-STOP" : "-CONT") + " failed: "
                    + new String(kill.getInputStream().readAllBytes()));
        }
    }

    /** A crash: SIGKILL, no goodbye to anyone. */
    public void kill() {
        Processes.kill(process.toHandle());
    }

    /** Starts it again with the same configuration (secrets, ports). */
    public void restart() throws IOException {
        if (process.isAlive()) {
            close();
        }
        launch();
    }

    @Override
    public void close() {
        Processes.stop(process.toHandle(), Duration.ofSeconds(10));
    }
}
