package dev.confab.signaling;

import java.util.List;
import java.util.Optional;

/** The live state of one meeting, used only inside {@link RoomRegistry#inRoom}. */
public interface Room {

    Optional<Seat> seat(String participantId);

    /** Everyone present, in join order (a copy). */
    List<Seat> seats();

    /** Adds or replaces the seat with this participant id. */
    void put(Seat seat);

    Optional<Seat> remove(String participantId);

    /** Remembers that the others were told this participant left. */
    void markDeparted(String participantId);

    /** Whether the others were told this participant left (forgotten now: it is back). */
    boolean forgetDeparture(String participantId);

    /** A number larger than every earlier one, for the next new seat's join order. */
    long nextOrder();

    /** Whether the meeting's media goes browser to browser (the start) or through the SFU. */
    MediaMode mediaMode();

    void setMediaMode(MediaMode mode);

    /** Who waits in the lobby, longest first (a copy). Nobody there receives anything of the meeting. */
    java.util.List<Waiter> waiting();

    Optional<Waiter> waiter(String participantId);

    /** Adds or replaces the lobby entry with this participant id. */
    void putWaiter(Waiter waiter);

    Optional<Waiter> removeWaiter(String participantId);

    /** When the first person of this room took a seat (epoch ms): where the meeting's elapsed time starts. */
    long startedAt(long nowMillis);

    /** The time to stamp a new chat message with: {@code nowMillis}, or later, so stamps strictly increase. */
    long nextChatTime(long nowMillis);
}
