package dev.confab.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** An open-loop sender: a 1 ms ticker that calls {@code send} at the target rate, never waiting for replies. */
final class Load {
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();

    static Load start(int rate, IntConsumer send) {
        Load load = new Load();
        double perTick = rate / 1000.0;
        double[] owed = {0};
        int[] n = {0};
        load.ticker.scheduleAtFixedRate(() -> {
            owed[0] += perTick;
            while (owed[0] >= 1) {
                owed[0] -= 1;
                send.accept(n[0]++);
            }
        }, 1, 1, TimeUnit.MILLISECONDS);
        return load;
    }

    void stop() throws InterruptedException {
        ticker.shutdown();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
