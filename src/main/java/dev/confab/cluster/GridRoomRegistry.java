package dev.confab.cluster;

import com.hazelcast.map.IMap;
import dev.confab.signaling.Room;
import dev.confab.signaling.RoomRegistry;
import dev.confab.signaling.RoomState;
import dev.confab.signaling.Seat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link RoomRegistry} shared by the cluster: each room's {@link RoomState} in one grid map (with a backup on
 * another member, so a node's death loses no room), changed under the meeting's grid lock by whichever node
 * serves the message. The action works on a copy, written back only when it changed something and did not fail;
 * what it said to sockets goes out once the copy is stored ({@link HeldDeliveries}).
 *
 * <p>Each seat is also an entry of its own in a second map, written with the room (still under its lock, before
 * anyone is told): the relay path ({@link #seat}) reads one small seat there instead of the whole room.
 */
final class GridRoomRegistry implements RoomRegistry {

    /** A bound on a lock whose holder hangs; actions are short (no I/O but the store's). */
    private static final long LOCK_LEASE_SECONDS = 30;

    private final IMap<String, RoomState> rooms;
    private final IMap<String, Seat> seats;
    /**
     * The meeting whose room this thread is in. An action that entered the same room again would work on a second
     * copy, and the outer write-back would undo the inner one: refused loudly instead (one node's monitor is
     * re-entrant, so such code would pass every single-node test).
     */
    private final ThreadLocal<String> entered = new ThreadLocal<>();

    private final HeldDeliveries held;

    GridRoomRegistry(IMap<String, RoomState> rooms, IMap<String, Seat> seats, HeldDeliveries held) {
        this.rooms = rooms;
        this.seats = seats;
        this.held = held;
    }

    private static String seatKey(String meetingCode, String participantId) {
        return meetingCode + '/' + participantId;
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
            Map<String, Seat> seatsBefore = new HashMap<>();
            room.seats().forEach(seat -> seatsBefore.put(seat.id(), seat)); // the action changes the room in place
            T result = action.apply(room);
            if (room.isEmpty()) {
                if (before != null) {
                    rooms.delete(meetingCode);
                    storeSeats(meetingCode, seatsBefore, room);
                }
            } else if (room.changed()) {
                rooms.set(meetingCode, room);
                storeSeats(meetingCode, seatsBefore, room);
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

    /** The seats the action changed, added or took away, written to the seat map. */
    private void storeSeats(String meetingCode, Map<String, Seat> before, RoomState room) {
        Map<String, Seat> gone = new HashMap<>(before);
        for (Seat seat : room.seats()) {
            gone.remove(seat.id());
            if (!seat.equals(before.get(seat.id()))) {
                seats.set(seatKey(meetingCode, seat.id()), seat);
            }
        }
        gone.keySet().forEach(id -> seats.delete(seatKey(meetingCode, id)));
    }

    @Override
    public Optional<Seat> seat(String meetingCode, String participantId) {
        return Optional.ofNullable(seats.get(seatKey(meetingCode, participantId)));
    }

    @Override
    public Set<String> meetingCodes() {
        return Set.copyOf(rooms.keySet());
    }
}
