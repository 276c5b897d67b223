package dev.confab.token;

/** Role names for {@code @RolesAllowed}; see {@link TokenKind#role()}. */
public final class Roles {
    public static final String USER = "user";
    public static final String PARTICIPANT = "participant";

    private Roles() {
    }
}
