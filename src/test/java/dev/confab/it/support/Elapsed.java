package dev.confab.it.support;

/** Elapsed time for the figures and time bounds of the integration tests, on the monotonic clock. */
public final class Elapsed {

    private Elapsed() {
    }

    /** Milliseconds since {@code startNanos}, a {@link System#nanoTime()} reading. */
    public static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
