package dev.confab.meeting;

import dev.confab.store.Collections;
import jakarta.nosql.Column;
import jakarta.nosql.Entity;
import jakarta.nosql.Id;

/**
 * A meeting as stored; the code is its id. Times are epoch milliseconds, {@code endedAt} 0 while open. A locked
 * meeting lets nobody new in (the host and those already in the room may still (re-)join). With the lobby on,
 * newcomers wait until a host or co-host admits them; {@code lobby} is null in meetings stored before it existed.
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
        @Column Boolean lobby) {

    public static final String OPEN = "open";
    public static final String ENDED = "ended";

    public boolean isOpen() {
        return OPEN.equals(status);
    }

    /** Whether newcomers wait in the lobby. */
    public boolean lobbyOn() {
        return Boolean.TRUE.equals(lobby);
    }

    public Meeting end(long atMillis) {
        return new Meeting(code, title, hostUserId, hostDisplayName, createdAt, ENDED, atMillis, locked, lobby);
    }

    public Meeting withLocked(boolean newLocked) {
        return new Meeting(code, title, hostUserId, hostDisplayName, createdAt, status, endedAt, newLocked, lobby);
    }

    public Meeting withLobby(boolean on) {
        return new Meeting(code, title, hostUserId, hostDisplayName, createdAt, status, endedAt, locked, on);
    }
}
