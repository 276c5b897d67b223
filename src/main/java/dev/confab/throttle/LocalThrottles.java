package dev.confab.throttle;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Throttles} for one node: state in a concurrent map, swept of entries that no longer matter. The map is
 * capped ({@link #MAX_ENTRIES}): under a flood of distinct keys that outlives a sweep, new keys go unrecorded
 * (treated as fresh) rather than exhausting memory; the per-address and per-account keys a real attack reuses
 * are already in the map.
 */
@ApplicationScoped
public class LocalThrottles implements Throttles {

    static final int MAX_ENTRIES = 200_000;
    private static final int SWEEP_EVERY = 4096;

    /** Failures so far and until when the key is blocked; or a bucket's level. Guarded by its map entry. */
    private static final class Entry {
        int failures;
        long blockedUntil;
        long forgetAt;
        double tokens = Double.NaN;
        long refilledAt;
        long idleAt; // when a bucket is full again: it can be dropped
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger operations = new AtomicInteger();

    @Override
    public long blockedForMillis(String key, long nowMillis) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return 0;
        }
        synchronized (entry) {
            return Math.max(0, entry.blockedUntil - nowMillis);
        }
    }

    @Override
    public long recordFailure(String key, Penalty policy, long nowMillis) {
        Entry entry = entry(key, nowMillis);
        if (entry == null) {
            return 0;
        }
        synchronized (entry) {
            if (entry.forgetAt != 0 && nowMillis >= entry.forgetAt) {
                entry.failures = 0;
            }
            entry.failures++;
            entry.forgetAt = nowMillis + policy.forgetAfter().toMillis();
            int over = entry.failures - policy.freeFailures();
            if (over < 0) {
                return 0;
            }
            long delay = policy.firstDelay().toMillis() << Math.min(over, 30);
            delay = Math.min(policy.maxDelay().toMillis(), delay);
            entry.blockedUntil = nowMillis + delay;
            return delay;
        }
    }

    @Override
    public void forgive(String key) {
        entries.remove(key);
    }

    @Override
    public long take(String key, Bucket policy, long nowMillis) {
        Entry entry = entry(key, nowMillis);
        if (entry == null) {
            return 0;
        }
        synchronized (entry) {
            if (Double.isNaN(entry.tokens)) {
                entry.tokens = policy.capacity();
                entry.refilledAt = nowMillis;
            }
            double refill = (nowMillis - entry.refilledAt) / 1000.0 * policy.perSecond();
            entry.tokens = Math.min(policy.capacity(), entry.tokens + Math.max(0, refill));
            entry.refilledAt = nowMillis;
            if (entry.tokens >= 1) {
                entry.tokens -= 1;
                entry.idleAt = nowMillis + (long) Math.ceil((policy.capacity() - entry.tokens) / policy.perSecond() * 1000);
                return 0;
            }
            return (long) Math.ceil((1 - entry.tokens) / policy.perSecond() * 1000);
        }
    }

    private Entry entry(String key, long nowMillis) {
        if (operations.incrementAndGet() % SWEEP_EVERY == 0 || entries.size() >= MAX_ENTRIES) {
            sweep(nowMillis);
        }
        Entry existing = entries.get(key);
        if (existing != null || entries.size() >= MAX_ENTRIES) {
            return existing;
        }
        return entries.computeIfAbsent(key, k -> new Entry());
    }

    /** Drops what no longer changes any answer: forgotten failures, blocks that are over, full buckets. */
    void sweep(long nowMillis) {
        entries.entrySet().removeIf(e -> {
            Entry entry = e.getValue();
            synchronized (entry) {
                boolean penaltyOver = entry.forgetAt <= nowMillis && entry.blockedUntil <= nowMillis;
                boolean bucketFull = Double.isNaN(entry.tokens) || entry.idleAt <= nowMillis;
                return penaltyOver && bucketFull;
            }
        });
    }

    int size() {
        return entries.size();
    }
}
