package dev.confab.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import dev.confab.throttle.ThrottleEntry;
import dev.confab.throttle.Throttles;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link Throttles} shared by the cluster: one grid map entry per key, changed by an entry processor on the member
 * that owns it (atomic, one round trip), and expiring once it no longer changes any answer. A login guessed at on
 * every node is throttled as one.
 */
final class GridThrottles implements Throttles {

    private final IMap<String, ThrottleEntry> entries;

    GridThrottles(IMap<String, ThrottleEntry> entries) {
        this.entries = entries;
    }

    @Override
    public long blockedForMillis(String key, long nowMillis) {
        ThrottleEntry entry = entries.get(key);
        return entry == null ? 0 : entry.blockedForMillis(nowMillis);
    }

    @Override
    public long recordFailure(String key, Penalty policy, long nowMillis) {
        return entries.executeOnKey(key, new Failure(policy, nowMillis));
    }

    @Override
    public void forgive(String key) {
        entries.delete(key);
    }

    @Override
    public long take(String key, Bucket policy, long nowMillis) {
        return entries.executeOnKey(key, new Take(policy, nowMillis));
    }

    /** Stores the changed entry for as long as it matters. */
    private static long keep(Map.Entry<String, ThrottleEntry> mapEntry, ThrottleEntry entry, long nowMillis, long answer) {
        long ttl = Math.max(1, entry.mattersUntil() - nowMillis);
        ((ExtendedMapEntry<String, ThrottleEntry>) mapEntry).setValue(entry, ttl, TimeUnit.MILLISECONDS);
        return answer;
    }

    private static ThrottleEntry current(Map.Entry<String, ThrottleEntry> mapEntry) {
        return mapEntry.getValue() == null ? new ThrottleEntry() : mapEntry.getValue();
    }

    record Failure(Penalty policy, long nowMillis) implements EntryProcessor<String, ThrottleEntry, Long> {
        @Override
        public Long process(Map.Entry<String, ThrottleEntry> mapEntry) {
            ThrottleEntry entry = current(mapEntry);
            return keep(mapEntry, entry, nowMillis, entry.recordFailure(policy, nowMillis));
        }
    }

    record Take(Bucket policy, long nowMillis) implements EntryProcessor<String, ThrottleEntry, Long> {
        @Override
        public Long process(Map.Entry<String, ThrottleEntry> mapEntry) {
            ThrottleEntry entry = current(mapEntry);
            return keep(mapEntry, entry, nowMillis, entry.take(policy, nowMillis));
        }
    }
}
