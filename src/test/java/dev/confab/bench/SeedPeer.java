package dev.confab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The seed this project started from — a Node.js Socket.io 4 server with its events ({@code src/test/seed}, installed
 * by the bench profile with {@code npm ci} into {@code target/seed}) — as a process of its own on 127.0.0.1, stopped
 * through its own PID. Its live heap after a full GC is asked over HTTP ({@code /heap}), there being no jcmd for Node.
 */
final class SeedPeer implements AutoCloseable {

    private final Process process;
    private final URI base;

    private SeedPeer(Process process, URI base) {
        this.process = process;
        this.base = base;
    }

    static SeedPeer start(Path dir, Path log) throws IOException, InterruptedException {
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            throw new IllegalStateException("no " + dir.resolve("node_modules") + ": run the bench through mvn -Pbench verify");
        }
        Process process = new ProcessBuilder("node", "--expose-gc", "server.js", "0").directory(dir.toFile())
                .redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                for (String line; (line = out.readLine()) != null; ) {
                    Files.writeString(log, line + "\n", java.nio.file.StandardOpenOption.CREATE,
                            java.nio.file.StandardOpenOption.APPEND);
                    if (line.startsWith("listening ")) {
                        port.complete(Integer.parseInt(line.substring("listening ".length()).strip()));
                    }
                }
                port.completeExceptionally(new IllegalStateException("the seed peer stopped; see " + log));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        }, "seed-peer-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new SeedPeer(process, URI.create("http://127.0.0.1:" + port.get(30, TimeUnit.SECONDS) + "/"));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the seed peer did not start; see " + log, e);
        }
    }

    URI base() {
        return base;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
