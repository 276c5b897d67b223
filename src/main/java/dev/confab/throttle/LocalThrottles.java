package dev.confab.throttle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Throttles} for one node: state in a concurrent map, swept of entries that no longer matter. The map is
 * capped ({@link #MAX_ENTRIES}): under a flood of distinct keys that outlives a sweep, new keys go unrecorded
 * (treated as fresh) rather than exhausting memory; the per-address and per-account keys a real attack reuses
 * are already in the map.
 */
public class LocalThrottles implements Throttles {

    static final int MAX_ENTRIES = 200_000;
    private static final int SWEEP_EVERY = 4096;

    private final Map<String, ThrottleEntry> entries = new ConcurrentHashMap<>();
    private final AtomicInteger operations = new AtomicInteger();

    @Override
    public long blockedForMillis(String key, long nowMillis) {
        ThrottleEntry entry = entries.get(key);
        if (entry == null) {
            return 0;
        }
        synchronized (entry) {
            return entry.blockedForMillis(nowMillis);
        }
    }

    @Override
    public long recordFailure(String key, Penalty policy, long nowMillis) {
        ThrottleEntry entry = entry(key, nowMillis);
        if (entry == null) {
            return 0;
        }
        synchronized (entry) {
            return entry.recordFailure(policy, nowMillis);
        }
    }

    @Override
    public void forgive(String key) {
        entries.remove(key);
    }

    @Override
    public long take(String key, Bucket policy, long nowMillis) {
        ThrottleEntry entry = entry(key, nowMillis);
        if (entry == null) {
            return 0;
        }
        synchronized (entry) {
            return entry.take(policy, nowMillis);
        }
    }

    private ThrottleEntry entry(String key, long nowMillis) {
        if (operations.incrementAndGet() % SWEEP_EVERY == 0 || entries.size() >= MAX_ENTRIES) {
            sweep(nowMillis);
        }
        ThrottleEntry existing = entries.get(key);
        if (existing != null || entries.size() >= MAX_ENTRIES) {
            return existing;
        }
        return entries.computeIfAbsent(key, k -> new ThrottleEntry());
    }

    /** Drops what no longer changes any answer: forgotten failures, blocks that are over, full buckets. */
    void sweep(long nowMillis) {
        entries.entrySet().removeIf(e -> {
            ThrottleEntry entry = e.getValue();
            synchronized (entry) {
                return entry.mattersUntil() <= nowMillis;
            }
        });
    }

    int size() {
        return entries.size();
    }
}
