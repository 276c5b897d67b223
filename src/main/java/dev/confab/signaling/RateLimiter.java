package dev.confab.signaling;

/**
 * Per-socket message budget: a token bucket ({@code perSecond} refill, {@code burst} capacity) decides whether a
 * message is accepted; refused messages fill a second, slowly draining bucket of strikes, and a socket that keeps
 * sending over its budget runs out of strikes and is closed. Used by one socket's message thread only.
 */
final class RateLimiter {

    /** What to do with one incoming message. */
    enum Verdict { ACCEPT, REFUSE, DISCONNECT }

    private static final double STRIKE_DRAIN_PER_SECOND = 5;

    private final double perSecond;
    private final double burst;
    private final double strikeLimit;
    private double tokens;
    private double strikes;
    private long lastNanos;

    RateLimiter(double perSecond, double burst, double strikeLimit, long nowNanos) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.strikeLimit = strikeLimit;
        this.tokens = burst;
        this.lastNanos = nowNanos;
    }

    Verdict check(long nowNanos) {
        double seconds = Math.max(0, nowNanos - lastNanos) / 1e9;
        lastNanos = nowNanos;
        tokens = Math.min(burst, tokens + seconds * perSecond);
        strikes = Math.max(0, strikes - seconds * STRIKE_DRAIN_PER_SECOND);
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ACCEPT;
        }
        strikes += 1;
        return strikes > strikeLimit ? Verdict.DISCONNECT : Verdict.REFUSE;
    }
}
