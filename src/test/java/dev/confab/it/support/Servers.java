package dev.confab.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The server a test run is for, from the system property {@code confab.it.server} ({@code payara}, the default, or
 * {@code wildfly}; Failsafe runs the suite once per server, see pom.xml), and helpers every launcher shares.
 */
public final class Servers {

    public static final String PAYARA = "payara";
    public static final String WILDFLY = "wildfly";
    /** In a readiness answer once Confab's own check runs (a failed deployment can be "UP" without it). */
    public static final String STORE_CHECK = "\"store\"";

    private Servers() {
    }

    /** {@code payara} or {@code wildfly}. */
    public static String current() {
        String server = System.getProperty("confab.it.server", PAYARA);
        if (!server.equals(PAYARA) && !server.equals(WILDFLY)) {
            throw new IllegalStateException("confab.it.server must be payara or wildfly, not " + server);
        }
        return server;
    }

    /** Confab with these system properties on a free port, on this run's server. */
    public static ConfabServer start(Path workDir, Map<String, String> properties) throws IOException {
        return start(workDir, properties, freePort());
    }

    /** Confab on a given port: a restarted server comes back where its clients look for it. */
    public static ConfabServer start(Path workDir, Map<String, String> properties, int port) throws IOException {
        return start(current(), workDir, properties, Path.of(System.getProperty("confab.war", "target/confab.war")),
                STORE_CHECK, List.of(), port);
    }

    /**
     * Any WAR on {@code server} ({@link #PAYARA} or {@link #WILDFLY}), at the root context on {@code port}; ready
     * once its readiness answer contains {@code readyMarker}. {@code jvmOptions} go to the server's JVM.
     */
    public static ConfabServer start(String server, Path workDir, Map<String, String> properties, Path war,
                                     String readyMarker, List<String> jvmOptions, int port) throws IOException {
        return server.equals(WILDFLY)
                ? WildFly.start(workDir, properties, war, readyMarker, jvmOptions, port)
                : PayaraMicro.start(workDir, properties, war, readyMarker, jvmOptions, port);
    }

    /**
     * A free port below the kernel's ephemeral range (which starts at 32768 here and on most Linux systems), for a
     * server that others keep trying to reach before it listens: a connection attempt to a free ephemeral port
     * of this host can take that very port as its own source (a TCP self-connect), and the server then cannot bind
     * it. Cluster members retry the listed addresses of members not yet started, so their ports come from here.
     */
    public static int freeLowPort() {
        for (int tries = 0; tries < 200; tries++) {
            int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another one
            }
        }
        throw new IllegalStateException("no free port between 20000 and 30000");
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Closes each of these in turn (nulls skipped: what never started), every one even when an earlier one fails;
     * then throws the first failure, with the later ones suppressed in it.
     */
    public static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException("Could not close", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
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
