package dev.confab.meeting;

import dev.confab.store.Collections;
import jakarta.nosql.Column;
import jakarta.nosql.Entity;
import jakarta.nosql.Id;

/**
 * A meeting as stored; the code is its id. Times are epoch milliseconds, {@code endedAt} 0 while open. A locked
 * meeting lets nobody new in (the host and those already in the room may still (re-)join). With the lobby on,
 * newcomers wait until a host or co-host admits them; {@code lobby} is null in meetings stored before it existed.
 * {@code access} is who may join, the host's choice at creation: {@link #ANYONE} with the link (also when null, as
 * in meetings stored before it existed), {@link #SIGNED_IN} people only (no guests), or {@link #ORGANISATION}: people
 * signed in with the company's provider walk in, everyone else waits in the lobby until a host admits them.
 */
@Entity(Collections.MEETINGS)
public record Meeting(
        @Id String code,
        @Column String title,
        @Column String hostUserId,
        @Column String hostDisplayName,
        @Column long createdAt,
        @Column String status,
        @Column long endedAt,
        @Column boolean locked,
        @Column Boolean lobby,
        @Column String access) {

    public static final String OPEN = "open";
    public static final String ENDED = "ended";
    public static final String ANYONE = "anyone";
    public static final String SIGNED_IN = "signed-in";
    public static final String ORGANISATION = "organisation";

    /** {@link #ANYONE}, {@link #SIGNED_IN} or {@link #ORGANISATION}. */
    public String accessRule() {
        return access == null ? ANYONE : access;
    }

    /** Guests may not join. */
    public boolean signedInOnly() {
        return SIGNED_IN.equals(access);
    }

    /** Everyone but the company's people waits in the lobby. */
    public boolean organisationOnly() {
        return ORGANISATION.equals(access);
    }

    public boolean isOpen() {
        return OPEN.equals(status);
    }

    /** Whether newcomers wait in the lobby. */
    public boolean lobbyOn() {
        return Boolean.TRUE.equals(lobby);
    }

    public Meeting end(long atMillis) {
        return new Meeting(code, title, hostUserId, hostDisplayName, createdAt, ENDED, atMillis, locked, lobby, access);
    }

    public Meeting withLocked(boolean newLocked) {
        return new Meeting(code, title, hostUserId, hostDisplayName, createdAt, status, endedAt, newLocked, lobby, access);
    }

    public Meeting withLobby(boolean on) {
        return new Meeting(code, title, hostUserId, hostDisplayName, createdAt, status, endedAt, locked, on, access);
    }
}
