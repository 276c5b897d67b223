package dev.confab.signaling;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole live state of one meeting, as plain data: one node keeps one per room in memory, a cluster keeps it in
 * its shared map (and works on a copy under the meeting's lock). Not thread-safe but for {@link #seat}, which the
 * single node's relay path reads without the lock.
 */
public class RoomState implements Room, Serializable {

    private static final long serialVersionUID = 1L;

    private final Map<String, Seat> seats = new ConcurrentHashMap<>();
    private final Set<String> departed = new HashSet<>();
    private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
    private long startedAt;
    private long lastOrder;
    private long lastChatAt;
    private MediaMode mediaMode = MediaMode.MESH;
    /** Whether this copy changed since it was made or read (a cluster writes back only what changed). */
    private transient boolean changed;

    public boolean changed() {
        return changed;
    }

    /**
     * What Java serialization writes instead (a cluster's copies): plain lists. The concurrent maps' own
     * serialization was most of the cost of reading a room from the grid (docs/benchmarks.md).
     */
    private Object writeReplace() {
        return new Snapshot(List.copyOf(seats.values()), List.copyOf(departed), List.copyOf(waiting.values()),
                startedAt, lastOrder, lastChatAt, mediaMode);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("A room is read through its snapshot only");
    }

    private record Snapshot(List<Seat> seats, List<String> departed, List<Waiter> waiting, long startedAt,
                            long lastOrder, long lastChatAt, MediaMode mediaMode) implements Serializable {

        private Object readResolve() {
            RoomState room = new RoomState();
            seats.forEach(seat -> room.seats.put(seat.id(), seat));
            room.departed.addAll(departed);
            waiting.forEach(waiter -> room.waiting.put(waiter.id(), waiter));
            room.startedAt = startedAt;
            room.lastOrder = lastOrder;
            room.lastChatAt = lastChatAt;
            room.mediaMode = mediaMode;
            return room;
        }
    }

    /** Nobody seated and nobody waiting: the room may be dropped. */
    public boolean isEmpty() {
        return seats.isEmpty() && waiting.isEmpty();
    }

    @Override
    public Optional<Seat> seat(String participantId) {
        return Optional.ofNullable(seats.get(participantId));
    }

    @Override
    public List<Seat> seats() {
        List<Seat> all = new ArrayList<>(seats.values());
        all.sort(Comparator.comparingLong(Seat::order));
        return all;
    }

    @Override
    public void put(Seat seat) {
        changed = true;
        seats.put(seat.id(), seat);
    }

    @Override
    public Optional<Seat> remove(String participantId) {
        changed = true;
        return Optional.ofNullable(seats.remove(participantId));
    }

    @Override
    public void markDeparted(String participantId) {
        changed = true;
        departed.add(participantId);
    }

    @Override
    public boolean forgetDeparture(String participantId) {
        changed = true;
        return departed.remove(participantId);
    }

    @Override
    public long nextOrder() {
        changed = true;
        return ++lastOrder;
    }

    @Override
    public MediaMode mediaMode() {
        return mediaMode;
    }

    @Override
    public void setMediaMode(MediaMode mode) {
        changed = true;
        mediaMode = mode;
    }

    @Override
    public List<Waiter> waiting() {
        List<Waiter> all = new ArrayList<>(waiting.values());
        all.sort(Comparator.comparingLong(Waiter::since));
        return all;
    }

    @Override
    public Optional<Waiter> waiter(String participantId) {
        return Optional.ofNullable(waiting.get(participantId));
    }

    @Override
    public void putWaiter(Waiter waiter) {
        changed = true;
        waiting.put(waiter.id(), waiter);
    }

    @Override
    public Optional<Waiter> removeWaiter(String participantId) {
        changed = true;
        return Optional.ofNullable(waiting.remove(participantId));
    }

    @Override
    public long startedAt(long nowMillis) {
        if (startedAt == 0) {
            startedAt = nowMillis;
            changed = true;
        }
        return startedAt;
    }

    @Override
    public long nextChatTime(long nowMillis) {
        changed = true;
        lastChatAt = Math.max(nowMillis, lastChatAt + 1);
        return lastChatAt;
    }
}
