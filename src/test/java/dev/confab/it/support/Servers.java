package dev.confab.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

/**
 * The server a test run is for, from the system property {@code confab.it.server} ({@code payara}, the default, or
 * {@code wildfly}; Failsafe runs the suite once per server, see pom.xml), and helpers every launcher shares.
 */
public final class Servers {

    public static final String PAYARA = "payara";
    public static final String WILDFLY = "wildfly";

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
        return current().equals(WILDFLY)
                ? WildFly.start(workDir, properties, port)
                : PayaraMicro.start(workDir, properties, port);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
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
