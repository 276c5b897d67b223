package dev.confab.throttle;

import java.io.Serializable;

/**
 * What is remembered of one key: failures so far and until when it is blocked, or a token bucket's level. The
 * arithmetic of {@link Throttles}, shared by the node's own map and the cluster's; not thread-safe (its holder
 * serialises access: a monitor, or the grid's entry processor).
 */
public final class ThrottleEntry implements Serializable {

    private static final long serialVersionUID = 1L;

    private int failures;
    private long blockedUntil;
    private long forgetAt;
    private double tokens = Double.NaN;
    private long refilledAt;
    private long idleAt; // when a bucket is full again: it can be dropped

    public long blockedForMillis(long nowMillis) {
        return Math.max(0, blockedUntil - nowMillis);
    }

    /** Counts a failure; returns how long the key is blocked from now on, in ms (0: still free). */
    public long recordFailure(Throttles.Penalty policy, long nowMillis) {
        if (forgetAt != 0 && nowMillis >= forgetAt) {
            failures = 0;
        }
        failures++;
        forgetAt = nowMillis + policy.forgetAfter().toMillis();
        int over = failures - policy.freeFailures();
        if (over < 0) {
            return 0;
        }
        long delay = policy.firstDelay().toMillis() << Math.min(over, 30);
        delay = Math.min(policy.maxDelay().toMillis(), delay);
        blockedUntil = nowMillis + delay;
        return delay;
    }

    /** Takes one attempt from the bucket: 0 if granted, else the ms until one will be. */
    public long take(Throttles.Bucket policy, long nowMillis) {
        if (Double.isNaN(tokens)) {
            tokens = policy.capacity();
            refilledAt = nowMillis;
        }
        double refill = (nowMillis - refilledAt) / 1000.0 * policy.perSecond();
        tokens = Math.min(policy.capacity(), tokens + Math.max(0, refill));
        refilledAt = nowMillis;
        if (tokens >= 1) {
            tokens -= 1;
            idleAt = nowMillis + (long) Math.ceil((policy.capacity() - tokens) / policy.perSecond() * 1000);
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / policy.perSecond() * 1000);
    }

    /** From when on this entry changes no answer (failures forgotten, block over, bucket full): it may go. */
    public long mattersUntil() {
        long penalty = Math.max(forgetAt, blockedUntil);
        return Double.isNaN(tokens) ? penalty : Math.max(penalty, idleAt);
    }
}
