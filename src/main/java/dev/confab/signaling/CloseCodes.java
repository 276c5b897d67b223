package dev.confab.signaling;

/** WebSocket close codes Confab uses; the 4xxx ones mirror the HTTP status of the same meaning. */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int UNSUPPORTED_DATA = 1003;
    public static final int TOO_BIG = 1009;
    public static final int INTERNAL_ERROR = 1011;
    public static final int TRY_AGAIN_LATER = 1013;
    public static final int INVALID_TOKEN = 4401;
    public static final int REMOVED = 4403;
    public static final int UNKNOWN_MEETING = 4404;
    public static final int JOIN_TIMEOUT = 4408;
    public static final int REPLACED = 4409;
    public static final int MEETING_ENDED = 4410;
    /** A host or co-host did not let this newcomer in from the lobby. */
    public static final int DENIED = 4405;
    /** A guest's token for a meeting that is for signed-in people only. */
    public static final int SIGN_IN_REQUIRED = 4407;
    /** The person's sign-in ended at the company's provider (back-channel logout): their tokens are revoked. */
    public static final int SIGNED_OUT = 4406;
    public static final int LOCKED = 4423;
    public static final int RATE_LIMITED = 4429;

    private CloseCodes() {
    }
}
