package dev.confab.token;

import dev.confab.store.Collections;
import jakarta.nosql.Column;
import jakarta.nosql.Entity;
import jakarta.nosql.Id;

/**
 * A bearer token as stored: only the SHA-256 of the token (the id), never the token itself.
 * Times are epoch milliseconds. {@code userId} is null for a guest's participant token;
 * {@code participantId} and {@code meetingCode} are null for session tokens. {@code providerSession} is the company
 * provider's session ({@code sid}) a token came from: a session token of a company sign-in, and the participant
 * tokens it joined meetings with: a back-channel logout that names only the session is traced to its person by
 * it. {@code idToken} (company session tokens only) is the provider's ID token, kept as the {@code id_token_hint} of an RP-initiated logout; it
 * opens nothing here. Both are null otherwise, and in tokens stored before company sign-in existed.
 */
@Entity(Collections.TOKENS)
public record AccessToken(
        @Id String id,
        @Column String kind,
        @Column String userId,
        @Column String participantId,
        @Column String meetingCode,
        @Column long issuedAt,
        @Column long expiresAt,
        @Column boolean revoked,
        @Column String providerSession,
        @Column String idToken) {

    public AccessToken revoke() {
        return new AccessToken(id, kind, userId, participantId, meetingCode, issuedAt, expiresAt, true,
                providerSession, idToken);
    }

    /** Usable at {@code nowMillis}: not revoked and not yet expired (the sweep may not have run). */
    public boolean liveAt(long nowMillis) {
        return !revoked && nowMillis < expiresAt;
    }
}
