package dev.confab.meeting;

import dev.confab.store.Collections;
import jakarta.nosql.Column;
import jakarta.nosql.Entity;
import jakarta.nosql.Id;

/**
 * Someone the host removed from a meeting, who may not come back until the host lifts the ban. The id names what
 * is banned: {@code <code>/user/<userId>} for a signed-in user, {@code <code>/guest/<hash of the guest key>} for a
 * guest (the per-meeting key its browser keeps). {@code participantId} and {@code displayName} are the removed
 * participant's, for the host's list; {@code at} is epoch milliseconds.
 */
@Entity(Collections.BANS)
public record Ban(
        @Id String id,
        @Column String meetingCode,
        @Column String participantId,
        @Column String displayName,
        @Column boolean guest,
        @Column long at) {

    static String userBanId(String meetingCode, String userId) {
        return meetingCode + "/user/" + userId;
    }

    static String guestBanId(String meetingCode, String guestKeyHash) {
        return meetingCode + "/guest/" + guestKeyHash;
    }
}
