package dev.confab.it.support;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping the servers tests start, through their own process handle (their PID), never by name. */
final class Processes {

    private Processes() {
    }

    /** SIGTERM, then SIGKILL if the process has not exited within {@code grace}. */
    static void stop(Process process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
