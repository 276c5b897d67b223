package dev.confab.meeting;

import java.time.Instant;

/** The API's shapes of a meeting. */
public final class MeetingViews {

    private MeetingViews() {
    }

    public record HostView(String id, String displayName) {
    }

    public record PublicHostView(String displayName) {
    }

    /** What the creator gets back. */
    public record Created(String code, String title, String link, HostView host, Instant createdAt, String status,
                          boolean lobby, String access) {
        static Created of(Meeting m, String link) {
            return new Created(m.code(), m.title(), link, new HostView(m.hostUserId(), m.hostDisplayName()),
                    Instant.ofEpochMilli(m.createdAt()), m.status(), m.lobbyOn(), m.accessRule());
        }
    }

    /** What anyone with the code may see ({@code access}: who may join, so the pre-join page can say it). */
    public record Public(String code, String title, String status, boolean locked, boolean lobby, String access,
                         PublicHostView host) {
        static Public of(Meeting m) {
            return new Public(m.code(), m.title(), m.status(), m.locked(), m.lobbyOn(), m.accessRule(),
                    new PublicHostView(m.hostDisplayName()));
        }
    }

    /**
     * What a joiner gets: the participant token for this meeting; a guest also gets {@code guestKey}, to keep and
     * present on its next joins of this meeting (null when it presented one).
     */
    public record Joined(String participantId, String displayName, String token, Instant expiresAt, boolean host,
                         boolean guest, String guestKey, Public meeting) {
        static Joined of(Meetings.Joined j) {
            return new Joined(j.participation().id(), j.participation().displayName(), j.token().token(),
                    j.token().expiresAt(), j.participation().isHost(), j.participation().isGuest(),
                    j.newGuestKey().orElse(null), Public.of(j.meeting()));
        }
    }
}
