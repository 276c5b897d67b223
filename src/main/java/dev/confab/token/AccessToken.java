package dev.confab.token;

import dev.confab.store.Collections;
import jakarta.nosql.Column;
import jakarta.nosql.Entity;
import jakarta.nosql.Id;

/**
 * A bearer token as stored: only the SHA-256 of the token (the id), never the token itself.
 * Times are epoch milliseconds. {@code userId} is null for a guest's participant token;
 * {@code participantId} and {@code meetingCode} are null for session tokens.
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
        @Column boolean revoked) {

    public AccessToken revoke() {
        return new AccessToken(id, kind, userId, participantId, meetingCode, issuedAt, expiresAt, true);
    }

    /** Usable at {@code nowMillis}: not revoked and not yet expired (the sweep may not have run). */
    public boolean liveAt(long nowMillis) {
        return !revoked && nowMillis < expiresAt;
    }
}
