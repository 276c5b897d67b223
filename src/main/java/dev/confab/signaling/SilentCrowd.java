package dev.confab.signaling;

/**
 * Tells a crowd going silent at once from clients vanishing one by one. When a large share of the joined sockets
 * miss their pongs together, or answer them late together, the likelier cause is the server itself: its container
 * still has their frames queued behind other work (a flood of HTTP requests held pongs back on Payara's and
 * WildFly's worker pools alike), or its own network paused. Late answers count because a queue whose wait hovers
 * around the heartbeat timeout leaves only a few sockets silent at any one moment, each in turn. Then the
 * heartbeat drops nobody, for up to {@code maxDeferMillis}; a crowd still silent after that is taken to be gone.
 * Used by the heartbeat's one thread only.
 */
final class SilentCrowd {

    /** Fewer silent sockets than this are individual clients, whatever their share. */
    static final int MIN_SILENT = 3;
    /** The share of the joined sockets that makes a crowd. */
    static final double SHARE = 0.25;

    private static final long NEVER = Long.MIN_VALUE;

    private final long maxDeferMillis;
    private long since = NEVER;

    SilentCrowd(long maxDeferMillis) {
        this.maxDeferMillis = maxDeferMillis;
    }

    /**
     * Whether drops wait this tick, given how many joined sockets are {@code silent} (a ping unanswered and nothing
     * heard for most of the timeout, or a ping answered late within the timeout) out of {@code joined}.
     */
    boolean defersDrops(int silent, int joined, long nowMillis) {
        if (silent < MIN_SILENT || silent < joined * SHARE) {
            since = NEVER;
            return false;
        }
        if (since == NEVER) {
            since = nowMillis;
        }
        return nowMillis - since < maxDeferMillis;
    }
}
