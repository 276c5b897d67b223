package dev.confab.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * coturn's {@code turnserver} (Debian package {@code coturn}) for one test: on 127.0.0.1 only, with coturn's
 * time-limited credentials ({@code use-auth-secret}), loopback peers allowed, no TLS, no CLI, and its pid file,
 * log and database in the test's own folder. Stopped through its own process handle (its PID), never by name.
 */
public final class TurnServer implements AutoCloseable {

    public static final String BINARY = "/usr/bin/turnserver";

    private final Process process;
    private final int port;
    private final Path log;

    private TurnServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a TURN server listening on {@code 127.0.0.1:port} (UDP and TCP), relaying from a private range of
     * 100 ports, accepting credentials minted with {@code secret}.
     */
    public static TurnServer start(Path workDir, int port, String secret) throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(workDir), "turn-" + port + "-");
        int minPort = 50_000 + 100 * ThreadLocalRandom.current().nextInt(100);
        Path log = dir.resolve("turnserver.log");
        List<String> command = List.of(BINARY, "-n",
                "--listening-ip=127.0.0.1", "--relay-ip=127.0.0.1", "--listening-port=" + port,
                "--min-port=" + minPort, "--max-port=" + (minPort + 99),
                "--use-auth-secret", "--static-auth-secret=" + secret, "--realm=confab.test",
                "--allow-loopback-peers", "--no-tls", "--no-dtls", "--no-cli", "--fingerprint", "--verbose",
                "--pidfile=" + dir.resolve("turnserver.pid"), "--log-file=" + log, "--simple-log",
                "--userdb=" + dir.resolve("turndb"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        TurnServer server = new TurnServer(process, port, log);
        server.awaitReady(Duration.ofSeconds(20));
        return server;
    }

    /** The URL for Confab's {@code confab.turn.urls}. */
    public String url() {
        return "turn:127.0.0.1:" + port + "?transport=udp";
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int port() {
        return port;
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("turnserver exited with " + process.exitValue() + "; log: " + log());
            }
            // coturn logs this once its listeners and relay threads are up
            if (log().contains("Total General servers")) {
                return;
            }
            Servers.sleep(100);
        }
        close();
        throw new IllegalStateException("turnserver not ready within " + timeout + "; log: " + log());
    }

    /** SIGTERM to this server's PID, SIGKILL if it does not exit. */
    @Override
    public void close() {
        Processes.stop(process.toHandle(), Duration.ofSeconds(10));
    }
}
