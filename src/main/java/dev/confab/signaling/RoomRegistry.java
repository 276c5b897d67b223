package dev.confab.signaling;

import java.util.Optional;
import java.util.function.Function;

/**
 * Who is connected to which meeting, live. One implementation holds it in this JVM; a clustered one can replace
 * it without touching the signalling logic.
 */
public interface RoomRegistry {

    /**
     * Runs {@code action} with exclusive access to the room of {@code meetingCode} (created when needed, dropped
     * once empty). Actions must be short: they may queue messages but not wait for I/O other than the store.
     */
    <T> T inRoom(String meetingCode, Function<Room, T> action);

    /** One participant's seat, read without the room's lock (the relay path). */
    Optional<Seat> seat(String meetingCode, String participantId);

    /** The meetings that have a room now (a snapshot). */
    java.util.Set<String> meetingCodes();
}
