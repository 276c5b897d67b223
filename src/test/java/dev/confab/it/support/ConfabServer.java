package dev.confab.it.support;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * Confab running in a server process of a test's own: Payara Micro or WildFly, whichever this test run is for
 * ({@link Servers}). Stopped by its own PID.
 */
public interface ConfabServer extends AutoCloseable {

    /** The application's root, e.g. {@code http://127.0.0.1:port/}. */
    URI base();

    /** MicroProfile Health readiness: on the application port on Payara, on the management port on WildFly. */
    URI readiness();

    /** The server JVM's process id, for OS-level figures (CPU time) and {@code jcmd}. */
    long pid();

    /** Everything the server wrote to its console so far. */
    String log() throws IOException;

    /** Waits until the server's console holds {@code line}; fails, showing the console, after {@code within}. */
    default void awaitLog(String line, Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!log().contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not logged within " + within + ": " + line + "\n" + log());
            }
            Servers.sleep(100);
        }
    }

    /** Kills the server at once (SIGKILL to its PID): no shutdown hook, no flush, as a crash or {@code kill -9}. */
    void kill();

    /** Stops the server (SIGTERM to its PID, then SIGKILL if it hangs). */
    @Override
    void close();
}
