package dev.confab.throttle;

import java.time.Duration;

/**
 * Shared memory of who tried what how often: growing penalties for failures (password guessing) and token buckets
 * for attempts (registrations, joins). Keys are opaque strings chosen by the caller ({@code "login-account:ann"},
 * {@code "login-address:10.0.0.7"}). One node keeps them in memory ({@link LocalThrottles}); a cluster shares them
 * through another implementation of this interface, without the callers changing.
 */
public interface Throttles {

    /**
     * {@code freeFailures} attempts may fail without delay; the failure that uses up the last of them blocks the
     * key for {@code firstDelay}, each further one for twice as long as the one before, up to {@code maxDelay}.
     * Failures are forgotten after {@code forgetAfter} without one.
     */
    record Penalty(int freeFailures, Duration firstDelay, Duration maxDelay, Duration forgetAfter)
            implements java.io.Serializable {
    }

    /** A token bucket: {@code capacity} at once, refilled at {@code perSecond}. */
    record Bucket(double capacity, double perSecond) implements java.io.Serializable {
    }

    /** How long {@code key} must still wait before its next attempt, in ms; 0 when it may go ahead. */
    long blockedForMillis(String key, long nowMillis);

    /** Counts a failure of {@code key}; returns how long it is blocked from now on, in ms (0: still free). */
    long recordFailure(String key, Penalty policy, long nowMillis);

    /** Forgets the failures of {@code key} (it succeeded). */
    void forgive(String key);

    /** Takes one attempt from {@code key}'s bucket: 0 if granted, else the ms until one will be. */
    long take(String key, Bucket policy, long nowMillis);
}
