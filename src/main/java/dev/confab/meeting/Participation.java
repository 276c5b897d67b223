package dev.confab.meeting;

import dev.confab.store.Collections;
import jakarta.nosql.Column;
import jakarta.nosql.Entity;
import jakarta.nosql.Id;

/**
 * One participant of one meeting; its id is the participant id. A signed-in user has one participation per
 * meeting (re-joining updates it), a guest gets a new one on every join. {@code userId} is null for guests;
 * {@code guestKeyHash} (guests only) is the SHA-256 of the per-meeting key the guest's browser presented or was
 * given, which a removal bans. {@code role} is host, cohost (made so by the host) or participant.
 * {@code admittedAt} is when it was let into the room past the lobby (or joined while there was none); 0 while it
 * has not been; null in participations stored before the lobby existed (they had walked in). {@code outsider}: in
 * a meeting for the organisation ({@link Meeting#ORGANISATION}), someone who is not one of its people (a guest, a
 * local account), and so waits in the lobby whether or not it is on; null or false otherwise.
 */
@Entity(Collections.PARTICIPATIONS)
public record Participation(
        @Id String id,
        @Column String meetingCode,
        @Column String userId,
        @Column String displayName,
        @Column String role,
        @Column long joinedAt,
        @Column String guestKeyHash,
        @Column Long admittedAt,
        @Column Boolean outsider) {

    public static final String HOST = "host";
    public static final String COHOST = "cohost";
    public static final String PARTICIPANT = "participant";

    public boolean isHost() {
        return HOST.equals(role);
    }

    public boolean isCohost() {
        return COHOST.equals(role);
    }

    /** May pass the lobby: the host, a co-host, or someone admitted before. */
    public boolean mayPassLobby() {
        return isHost() || isCohost() || admittedAt == null || admittedAt > 0;
    }

    public Participation withRole(String newRole) {
        return new Participation(id, meetingCode, userId, displayName, newRole, joinedAt, guestKeyHash, admittedAt,
                outsider);
    }

    public Participation admitted(long atMillis) {
        return new Participation(id, meetingCode, userId, displayName, role, joinedAt, guestKeyHash, atMillis, outsider);
    }

    public boolean isGuest() {
        return userId == null;
    }

    public Participation rejoined(String name, long atMillis, boolean nowOutsider) {
        return new Participation(id, meetingCode, userId, name, role, atMillis, guestKeyHash, admittedAt, nowOutsider);
    }

    /** Waits in the lobby even while it is off: an outsider of a meeting for the organisation, not yet admitted. */
    public boolean outsiderWaiting() {
        return Boolean.TRUE.equals(outsider) && !mayPassLobby();
    }
}
