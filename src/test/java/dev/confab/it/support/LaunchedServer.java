package dev.confab.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** What both launchers share: one server JVM of the test's own, its console log, stopping it by its PID. */
abstract class LaunchedServer implements ConfabServer {

    private final Process process;
    private final URI base;
    private final Path log;

    LaunchedServer(Process process, URI base, Path log) {
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /**
     * Polls {@code readiness} until it answers 200 with {@code marker} in its body; fails at once if the server JVM
     * exits meanwhile.
     */
    static void awaitHealth(Process process, URI readiness, String marker, Duration timeout, Path log)
            throws IOException {
        // HTTP/1.1: the default HTTP/2 client asks for an h2c upgrade and then keeps that one connection for every
        // poll; one upgrade that went wrong while the server was still starting would fail all of them
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The server exited early; see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains(marker)) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Servers.sleep(250);
        }
        throw new IllegalStateException("The server was not ready within " + timeout + "; see " + log);
    }

    @Override
    public URI base() {
        return base;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void kill() {
        Processes.kill(process.toHandle());
    }

    @Override
    public void close() {
        Processes.stop(process.toHandle(), Duration.ofSeconds(60));
    }
}
