package dev.confab.signaling;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** {@link RoomRegistry} for a single node: rooms in a concurrent map, one monitor per room. */
public class LocalRoomRegistry implements RoomRegistry {

    private final Map<String, LocalRoom> rooms = new ConcurrentHashMap<>();

    /** A room of this node; retired once emptied and dropped from the map. */
    private static final class LocalRoom extends RoomState {
        private boolean retired; // guarded by the room's monitor
    }

    @Override
    public <T> T inRoom(String meetingCode, Function<Room, T> action) {
        while (true) {
            LocalRoom room = rooms.computeIfAbsent(meetingCode, code -> new LocalRoom());
            synchronized (room) {
                if (room.retired) {
                    continue; // emptied and dropped by another thread between lookup and lock: take the new one
                }
                try {
                    return action.apply(room);
                } finally {
                    if (room.isEmpty()) {
                        room.retired = true;
                        rooms.remove(meetingCode, room);
                    }
                }
            }
        }
    }

    @Override
    public Optional<Seat> seat(String meetingCode, String participantId) {
        LocalRoom room = rooms.get(meetingCode);
        return room == null ? Optional.empty() : room.seat(participantId);
    }

    @Override
    public Set<String> meetingCodes() {
        return Set.copyOf(rooms.keySet());
    }
}
