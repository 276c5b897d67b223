package dev.confab.meeting;

import dev.confab.store.Collections;
import jakarta.nosql.Column;
import jakarta.nosql.Entity;
import jakarta.nosql.Id;

/**
 * One participant of one meeting; its id is the participant id. A signed-in user has one participation per
 * meeting (re-joining updates it), a guest gets a new one on every join. {@code userId} is null for guests;
 * {@code guestKeyHash} (guests only) is the SHA-256 of the per-meeting key the guest's browser presented or was
 * given, which a removal bans.
 */
@Entity(Collections.PARTICIPATIONS)
public record Participation(
        @Id String id,
        @Column String meetingCode,
        @Column String userId,
        @Column String displayName,
        @Column String role,
        @Column long joinedAt,
        @Column String guestKeyHash) {

    public static final String HOST = "host";
    public static final String PARTICIPANT = "participant";

    public boolean isHost() {
        return HOST.equals(role);
    }

    public boolean isGuest() {
        return userId == null;
    }

    public Participation rejoined(String name, long atMillis) {
        return new Participation(id, meetingCode, userId, name, role, atMillis, guestKeyHash);
    }
}
