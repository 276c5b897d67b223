package dev.confab.sfu;

import java.util.List;

/** What the SFU tells the signalling layer, for one participant or for a whole meeting. */
public sealed interface SfuEvent {

    String meetingCode();

    /** The SFU's answer to a participant's publishing offer for {@code source}. */
    record Published(String meetingCode, String participantId, Sfu.Source source, String answerSdp) implements SfuEvent {
    }

    /** A (new) offer for the participant's receiving connection, with whose stream each {@code mid} carries. */
    record SubscriptionOffer(String meetingCode, String participantId, String offerSdp, List<SfuStream> streams)
            implements SfuEvent {
    }

    /** A participant's request could not be carried out ({@code ref} names it: publish, answer, …). */
    record Refused(String meetingCode, String participantId, String ref, String reason) implements SfuEvent {
    }

    /**
     * The SFU lost the meeting's room (it restarted) and Confab has made it anew: every browser must publish and
     * subscribe again.
     */
    record RoomRebuilt(String meetingCode) implements SfuEvent {
    }

    /** The SFU is gone and the room could not be rebuilt: the meeting must go back to the mesh. */
    record RoomLost(String meetingCode) implements SfuEvent {
    }
}
