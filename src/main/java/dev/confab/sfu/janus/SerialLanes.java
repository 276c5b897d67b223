package dev.confab.sfu.janus;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One queue per meeting, run on a shared executor: a meeting's SFU work happens strictly in order (its requests
 * wait for Janus's answers), different meetings' work side by side.
 */
final class SerialLanes {

    private static final Logger LOG = Logger.getLogger(SerialLanes.class.getName());

    private static final class Lane {
        final Queue<Runnable> tasks = new ArrayDeque<>(); // guarded by the map's compute
        boolean running;
    }

    private final Executor executor;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    SerialLanes(Executor executor) {
        this.executor = executor;
    }

    /** Runs {@code work} in {@code key}'s lane; its result (or failure) completes the future. */
    <T> CompletableFuture<T> call(String key, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        run(key, () -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    void run(String key, Runnable work) {
        boolean[] start = new boolean[1];
        lanes.compute(key, (k, lane) -> {
            Lane l = lane == null ? new Lane() : lane;
            l.tasks.add(work);
            if (!l.running) {
                l.running = true;
                start[0] = true;
            }
            return l;
        });
        if (start[0]) {
            executor.execute(() -> drain(key));
        }
    }

    private void drain(String key) {
        while (true) {
            Runnable[] next = new Runnable[1];
            lanes.computeIfPresent(key, (k, lane) -> {
                next[0] = lane.tasks.poll();
                if (next[0] == null) {
                    lane.running = false;
                    return null; // empty: dropped
                }
                return lane;
            });
            if (next[0] == null) {
                return;
            }
            try {
                next[0].run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "SFU work for a meeting failed", e);
            }
        }
    }
}
