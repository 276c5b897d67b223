package dev.confab.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Launches Confab on Payara Micro in its own process, as the run command does, for tests that must stop and
 * start the server (Arquillian keeps one server per class). Listens on 127.0.0.1 on a free port and is stopped
 * by its own PID.
 */
public final class PayaraMicro implements AutoCloseable {

    private final Process process;
    private final URI base;
    private final Path log;

    private final String readyMarker;

    private PayaraMicro(Process process, URI base, Path log, String readyMarker) {
        this.process = process;
        this.base = base;
        this.log = log;
        this.readyMarker = readyMarker;
    }

    /**
     * @param workDir    a folder of the test's own (log and Payara's root dir go there)
     * @param properties system properties for Confab (e.g. confab.data.dir)
     */
    public static PayaraMicro start(Path workDir, Map<String, String> properties) throws IOException {
        return start(workDir, properties, freePort());
    }

    /**
     * Starts Payara Micro with any WAR at the root context; ready once {@code /health/ready} answers 200 with a body
     * containing {@code readyMarker} (Confab's store check; a failed deployment is "UP" without it).
     */
    public static PayaraMicro start(Path workDir, Map<String, String> properties, Path war, String readyMarker)
            throws IOException {
        return start(workDir, properties, war, readyMarker, List.of());
    }

    /** As above, with extra options for Payara's JVM (e.g. a flight recording for the benchmark). */
    public static PayaraMicro start(Path workDir, Map<String, String> properties, Path war, String readyMarker,
                                    List<String> jvmOptions) throws IOException {
        return start(workDir, properties, war, readyMarker, jvmOptions, freePort());
    }

    /** Confab on a given port: a restarted server comes back where its clients look for it. */
    public static PayaraMicro start(Path workDir, Map<String, String> properties, int port) throws IOException {
        return start(workDir, properties, Path.of(System.getProperty("confab.war", "target/confab.war")), "\"store\"",
                List.of(), port);
    }

    private static PayaraMicro start(Path workDir, Map<String, String> properties, Path war, String readyMarker,
                                     List<String> jvmOptions, int port) throws IOException {
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", System.getProperty("payara.microJar", "target/payara-micro.jar"),
                "--deploy", war.toAbsolutePath() + ":/",
                "--port", String.valueOf(port), "--nocluster", "--nohostaware",
                "--prebootcommandfile", Path.of("payara-config", "pre-boot-commands.asadmin").toAbsolutePath().toString(),
                "--rootDir", Files.createTempDirectory(workDir, "payara-root").toString()));
        Path log = workDir.resolve("payara-" + port + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PayaraMicro micro = new PayaraMicro(process, URI.create("http://127.0.0.1:" + port + "/"), log, readyMarker);
        micro.awaitReady(Duration.ofMinutes(4));
        return micro;
    }

    /** The server's process id, for OS-level figures (CPU time) and {@code jcmd}. */
    public long pid() {
        return process.pid();
    }

    public URI base() {
        return base;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitReady(Duration timeout) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro exited early; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains(readyMarker)) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        close();
        throw new IllegalStateException("Confab was not ready within " + timeout + "; see " + log);
    }

    /** Kills this server at once (SIGKILL to its PID): no shutdown hook, no flush, as a crash or {@code kill -9}. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("Payara Micro (pid " + process.pid() + ") survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops this server (SIGTERM to its PID, then SIGKILL if it hangs). */
    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(60));
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
