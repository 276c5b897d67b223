package dev.confab.token;

import java.time.Instant;

/**
 * A live token presented by a caller, resolved to who and what it stands for; {@code providerSession} as in
 * {@link AccessToken}.
 */
public record VerifiedToken(String id, TokenKind kind, String userId, String participantId, String meetingCode,
                            Instant expiresAt, String providerSession) {

    /** The caller's name for the container: the user for a session token, the participant otherwise. */
    public String principalName() {
        return kind == TokenKind.SESSION ? userId : participantId;
    }
}
