package dev.confab.cluster;

import com.hazelcast.map.IMap;
import dev.confab.signaling.Room;
import dev.confab.signaling.RoomRegistry;
import dev.confab.signaling.RoomState;
import dev.confab.signaling.Seat;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link RoomRegistry} shared by the cluster: each room's {@link RoomState} in one grid map (with a backup on
 * another member, so a node's death loses no room), changed under the meeting's grid lock by whichever node
 * serves the message. The action works on a copy, written back only when it changed something and did not fail;
 * what it said to sockets goes out once the copy is stored ({@link HeldDeliveries}).
 */
final class GridRoomRegistry implements RoomRegistry {

    /** A bound on a lock whose holder hangs; actions are short (no I/O but the store's). */
    private static final long LOCK_LEASE_SECONDS = 30;

    private final IMap<String, RoomState> rooms;
    /**
     * The meeting whose room this thread is in. An action that entered the same room again would work on a second
     * copy, and the outer write-back would undo the inner one: refused loudly instead (one node's monitor is
     * re-entrant, so such code would pass every single-node test).
     */
    private final ThreadLocal<String> entered = new ThreadLocal<>();

    private final HeldDeliveries held;

    GridRoomRegistry(IMap<String, RoomState> rooms, HeldDeliveries held) {
        this.rooms = rooms;
        this.held = held;
    }

    @Override
    public <T> T inRoom(String meetingCode, Function<Room, T> action) {
        if (entered.get() != null) {
            throw new IllegalStateException("Room " + meetingCode + " entered from inside room " + entered.get());
        }
        rooms.lock(meetingCode, LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
        entered.set(meetingCode);
        held.hold();
        boolean stored = false;
        try {
            RoomState before = rooms.get(meetingCode);
            RoomState room = before == null ? new RoomState() : before;
            T result = action.apply(room);
            if (room.isEmpty()) {
                if (before != null) {
                    rooms.delete(meetingCode);
                }
            } else if (room.changed()) {
                rooms.set(meetingCode, room);
            }
            stored = true;
            held.release(); // still under the lock: the next action's messages come after these
            return result;
        } finally {
            if (!stored) {
                held.drop();
            }
            entered.remove();
            rooms.unlock(meetingCode);
        }
    }

    @Override
    public Optional<Seat> seat(String meetingCode, String participantId) {
        return Optional.ofNullable(rooms.get(meetingCode)).flatMap(room -> room.seat(participantId));
    }

    @Override
    public Set<String> meetingCodes() {
        return Set.copyOf(rooms.keySet());
    }
}
