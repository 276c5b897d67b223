package dev.confab.it.support;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stopping the servers tests start, through their own process handle (their PID), never by name. */
final class Processes {

    private Processes() {
    }

    /** SIGTERM, then SIGKILL if the process has not exited within {@code grace}. */
    static void stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!exits(process, grace)) {
            process.destroyForcibly();
            exits(process, Duration.ofSeconds(30));
        }
    }

    /** SIGKILL, and wait until the process is gone. */
    static void kill(ProcessHandle process) {
        process.destroyForcibly();
        if (!exits(process, Duration.ofSeconds(30))) {
            throw new IllegalStateException("pid " + process.pid() + " survived SIGKILL");
        }
    }

    private static boolean exits(ProcessHandle process, Duration within) {
        try {
            process.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
