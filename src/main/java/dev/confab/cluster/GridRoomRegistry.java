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
 * serves the message. The action works on a copy, written back only when it changed something and did not fail.
 */
final class GridRoomRegistry implements RoomRegistry {

    /** A bound on a lock whose holder hangs; actions are short (no I/O but the store's). */
    private static final long LOCK_LEASE_SECONDS = 30;

    private final IMap<String, RoomState> rooms;

    GridRoomRegistry(IMap<String, RoomState> rooms) {
        this.rooms = rooms;
    }

    @Override
    public <T> T inRoom(String meetingCode, Function<Room, T> action) {
        rooms.lock(meetingCode, LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
        try {
            RoomState stored = rooms.get(meetingCode);
            RoomState room = stored == null ? new RoomState() : stored;
            T result = action.apply(room);
            if (room.isEmpty()) {
                if (stored != null) {
                    rooms.delete(meetingCode);
                }
            } else if (room.changed()) {
                rooms.set(meetingCode, room);
            }
            return result;
        } finally {
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
