package dev.confab.token;

/** What a bearer token opens: the account API (session) or one meeting (participant). */
public enum TokenKind {
    SESSION("session", "user"),
    PARTICIPANT("participant", "participant");

    private final String wire;
    private final String role;

    TokenKind(String wire, String role) {
        this.wire = wire;
        this.role = role;
    }

    /** The value stored in MongoDB. */
    public String wire() {
        return wire;
    }

    /** The security role a caller holding this kind of token is in ({@code @RolesAllowed}). */
    public String role() {
        return role;
    }

    public static TokenKind fromWire(String value) {
        for (TokenKind kind : values()) {
            if (kind.wire.equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown token kind: " + value);
    }
}
