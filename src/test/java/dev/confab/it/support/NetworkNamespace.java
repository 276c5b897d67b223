package dev.confab.it.support;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace of the test's own, for what must not run on loopback (Janus's ICE ignores the loopback
 * interface): a veth pair with both ends inside it, each with an address of its own in 10.x.y.0/24, and the
 * namespace's own 127.0.0.1. Nothing in it can reach anything outside, nor anything outside reach it — except
 * through {@link #forward}, a socat pair over a Unix socket that brings one port inside to loopback outside (the
 * test's own view of a server in here), and {@link #reach}, the same the other way (a server of the test's on
 * loopback outside, seen at a loopback port inside). Deleted, with its processes stopped by PID, on {@link #close}.
 */
public final class NetworkNamespace implements AutoCloseable {

    private final String name;
    private final String address;
    private final Path workDir;
    private final List<Process> processes = new ArrayList<>();

    private NetworkNamespace(String name, String address, Path workDir) {
        this.name = name;
        this.address = address;
        this.workDir = workDir;
    }

    /** A new namespace; {@code workDir} holds its forwarders' sockets. Needs root (ip netns). */
    public static NetworkNamespace create(Path workDir) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String name = "confab-" + Long.toHexString(random.nextLong() & 0xffffffL);
        String subnet = "10." + random.nextInt(100, 250) + "." + random.nextInt(1, 250);
        Files.createDirectories(workDir);
        NetworkNamespace ns = new NetworkNamespace(name, subnet + ".1", workDir);
        try {
            run("ip", "netns", "add", name);
            run("ip", "-n", name, "link", "set", "lo", "up");
            run("ip", "-n", name, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
            run("ip", "-n", name, "addr", "add", subnet + ".1/24", "dev", "v0");
            run("ip", "-n", name, "addr", "add", subnet + ".2/24", "dev", "v1");
            run("ip", "-n", name, "link", "set", "v0", "up");
            run("ip", "-n", name, "link", "set", "v1", "up");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The address on {@code v0}, the interface Janus's ICE is told to use. */
    public String address() {
        return address;
    }

    public String name() {
        return name;
    }

    /** {@code command} as run inside the namespace ({@code ip netns exec} execs it: its PID is the command's). */
    public List<String> inside(List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(command);
        return full;
    }

    /**
     * Makes {@code port} on the namespace's loopback reachable from the test at the returned URI's loopback port:
     * socat inside listens on a Unix socket and connects to the port; socat outside listens on loopback and
     * connects to that socket.
     */
    public URI forward(int port) throws IOException {
        return forward("127.0.0.1", port);
    }

    /** {@link #forward(int)} of a port on one of the namespace's addresses ({@code host}) rather than loopback. */
    public URI forward(String host, int port) throws IOException {
        Path socket = workDir.resolve(name + "-" + port + ".sock");
        Files.deleteIfExists(socket);
        processes.add(start(inside(List.of("socat", "UNIX-LISTEN:" + socket + ",fork",
                "TCP:" + host + ":" + port)), "socat-in-" + port));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(socket) && System.nanoTime() < deadline) {
            Servers.sleep(50);
        }
        int outside = Servers.freePort();
        processes.add(start(List.of("socat", "TCP-LISTEN:" + outside + ",bind=127.0.0.1,fork,reuseaddr",
                "UNIX-CONNECT:" + socket), "socat-out-" + port));
        return URI.create("http://127.0.0.1:" + outside + "/");
    }

    /**
     * Makes {@code outside} (a server on the test's loopback) reachable from inside the namespace at the returned
     * URI, on the namespace's own 127.0.0.1 (same port): socat outside listens on a Unix socket and connects to the
     * server; socat inside listens on the port and connects to that socket.
     */
    public URI reach(URI outside) throws IOException {
        int port = outside.getPort();
        Path socket = workDir.resolve(name + "-reach-" + port + ".sock");
        Files.deleteIfExists(socket);
        processes.add(start(List.of("socat", "UNIX-LISTEN:" + socket + ",fork",
                "TCP:127.0.0.1:" + port), "socat-reach-out-" + port));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(socket) && System.nanoTime() < deadline) {
            Servers.sleep(50);
        }
        processes.add(start(inside(List.of("socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1,fork,reuseaddr",
                "UNIX-CONNECT:" + socket)), "socat-reach-in-" + port));
        URI inside = URI.create("http://127.0.0.1:" + port + "/");
        while (!listening(port) && System.nanoTime() < deadline) {
            Servers.sleep(50);
        }
        return inside;
    }

    /** Whether something listens on {@code port} of the namespace's loopback. */
    private boolean listening(int port) throws IOException {
        Process ss = new ProcessBuilder(inside(List.of("ss", "-Hltn", "sport = :" + port))).redirectErrorStream(true).start();
        try {
            String out = new String(ss.getInputStream().readAllBytes());
            ss.waitFor();
            return out.contains(":" + port);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Process start(List<String> command, String logName) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve(logName + ".log").toFile()).start();
    }

    @Override
    public void close() {
        processes.forEach(p -> Processes.stop(p.toHandle(), Duration.ofSeconds(5)));
        processes.clear();
        try {
            run("ip", "netns", "del", name);
        } catch (IOException | RuntimeException e) {
            System.err.println("Could not delete network namespace " + name + ": " + e);
        }
    }

    private static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
