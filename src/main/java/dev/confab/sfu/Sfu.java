package dev.confab.sfu;

import jakarta.json.JsonObject;

import java.util.concurrent.CompletionStage;

/**
 * What the meeting's signalling asks of a selective forwarding unit, in Confab's own terms: meetings, participants,
 * SDP and ICE candidates. Which SFU (Janus) and its ids, secrets and JSON stay behind this interface.
 *
 * <p>Every call but {@link #openRoom} returns at once; the SFU's answers (a publisher's SDP answer, a subscription's
 * offer, a refusal, a rebuilt room) come back as {@link SfuEvent}s, fired as CDI events.
 */
public interface Sfu {

    /** Whether an SFU is configured at all ({@code confab.sfu.url}); without one every meeting is a mesh. */
    boolean isConfigured();

    /** Opens the meeting's room (or finds it open); fails when the SFU cannot be reached or refuses. */
    CompletionStage<Void> openRoom(String meetingCode);

    /**
     * Drives on the meeting's room that another Confab node drove until it died, from the record it kept in
     * {@link SfuRoomRecords}: its participants' connections with the SFU, and their media, go on. When the SFU no
     * longer holds them the room is made anew ({@link SfuEvent.RoomRebuilt}); with no record, or no SFU to reach,
     * the meeting goes back to the mesh ({@link SfuEvent.RoomLost}).
     */
    void adopt(String meetingCode);

    /** Destroys the meeting's room: everyone's media through the SFU stops. */
    void closeRoom(String meetingCode);

    /**
     * Publishes a participant's camera and microphone, or its screen ({@code source}): {@code offerSdp} from that
     * sending connection, {@code session} the browser's id for it (a new one replaces what it published before).
     * Answered by {@link SfuEvent.Published}.
     */
    void publish(String meetingCode, String participantId, Source source, String session, String offerSdp);

    /** The participant stopped sending {@code source} (a screen share ended): the others stop receiving it. */
    void unpublish(String meetingCode, String participantId, Source source);

    /**
     * The participant is ready to receive: the SFU offers it everyone else's media (and offers again as people
     * come and go), through {@link SfuEvent.SubscriptionOffer}. {@code session} is the browser's id for its
     * receiving connection: a new one (a reloaded page) gets a new subscription.
     */
    void subscribe(String meetingCode, String participantId, String session);

    /** The participant's answer to the SFU's latest {@link SfuEvent.SubscriptionOffer}. */
    void answer(String meetingCode, String participantId, String answerSdp);

    /** A trickled ICE candidate of the participant's publishing or subscribing connection. */
    void candidate(String meetingCode, String participantId, Direction direction, JsonObject candidate);

    /**
     * Which of {@code fromId}'s simulcast video layers the participant wants: 0 (lowest) … 2 (highest), or -1 for
     * none (its video is not shown: the SFU stops sending it; its audio still comes).
     */
    void preferLayer(String meetingCode, String participantId, String fromId, int layer);

    /** The participant left: its media stops and the others stop receiving it. */
    void leave(String meetingCode, String participantId);

    /** The host removed the participant: it is thrown out of the SFU's room at once. */
    void kick(String meetingCode, String participantId);

    /**
     * The host muted the participant ({@code muted}): its audio stops at the SFU, whatever its browser does; it
     * flows again once the participant unmutes itself ({@code muted} false).
     */
    void muteAudio(String meetingCode, String participantId, boolean muted);

    /** A participant's connections with the SFU: camera and microphone up, screen up, everyone else's down. */
    enum Direction { PUBLISH, SCREEN, SUBSCRIBE }

    /** What a participant publishes: its camera (and microphone), and a screen it shares, each a stream of its own. */
    enum Source {
        CAMERA, SCREEN;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
