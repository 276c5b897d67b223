package dev.confab.store;

/** Collection names, shared by the entities' {@code @Entity} and the index set-up. */
public final class Collections {
    public static final String USERS = "users";
    public static final String TOKENS = "tokens";
    public static final String MEETINGS = "meetings";
    public static final String PARTICIPATIONS = "participations";
    public static final String CHATS = "chats";
    public static final String BANS = "bans";
    /** Company sign-ins under way (dev.confab.oidc.SignInRepository): single-use, minutes long. */
    public static final String SIGN_INS = "signins";

    private Collections() {
    }
}
