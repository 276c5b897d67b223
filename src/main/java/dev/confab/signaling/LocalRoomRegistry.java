package dev.confab.signaling;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** {@link RoomRegistry} for a single server: rooms in a concurrent map, one monitor per room. */
@ApplicationScoped
public class LocalRoomRegistry implements RoomRegistry {

    private final Map<String, LocalRoom> rooms = new ConcurrentHashMap<>();

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
                    if (room.seats.isEmpty() && room.waiting.isEmpty()) {
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
        return room == null ? Optional.empty() : Optional.ofNullable(room.seats.get(participantId));
    }

    private static final class LocalRoom implements Room {
        private final Map<String, Seat> seats = new ConcurrentHashMap<>();
        private final Set<String> departed = new HashSet<>(); // guarded by the room's monitor
        private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
        private long startedAt;
        private boolean retired;
        private long lastOrder;
        private long lastChatAt;
        private MediaMode mediaMode = MediaMode.MESH;

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
            seats.put(seat.id(), seat);
        }

        @Override
        public Optional<Seat> remove(String participantId) {
            return Optional.ofNullable(seats.remove(participantId));
        }

        @Override
        public void markDeparted(String participantId) {
            departed.add(participantId);
        }

        @Override
        public boolean forgetDeparture(String participantId) {
            return departed.remove(participantId);
        }

        @Override
        public long nextOrder() {
            return ++lastOrder;
        }

        @Override
        public MediaMode mediaMode() {
            return mediaMode;
        }

        @Override
        public void setMediaMode(MediaMode mode) {
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
            waiting.put(waiter.id(), waiter);
        }

        @Override
        public Optional<Waiter> removeWaiter(String participantId) {
            return Optional.ofNullable(waiting.remove(participantId));
        }

        @Override
        public long startedAt(long nowMillis) {
            if (startedAt == 0) {
                startedAt = nowMillis;
            }
            return startedAt;
        }

        @Override
        public long nextChatTime(long nowMillis) {
            lastChatAt = Math.max(nowMillis, lastChatAt + 1);
            return lastChatAt;
        }
    }
}
