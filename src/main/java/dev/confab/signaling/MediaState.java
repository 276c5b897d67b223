package dev.confab.signaling;

/** What a participant last reported about its microphone, camera, screen share and hand. */
public record MediaState(boolean audio, boolean video, boolean screen, boolean hand) implements java.io.Serializable {

    /** Until a client reports, nothing is assumed to be on. */
    public static final MediaState INITIAL = new MediaState(false, false, false, false);

    public MediaState withMedia(boolean newAudio, boolean newVideo, boolean newScreen) {
        return new MediaState(newAudio, newVideo, newScreen, hand);
    }

    public MediaState withHand(boolean raised) {
        return new MediaState(audio, video, screen, raised);
    }
}
