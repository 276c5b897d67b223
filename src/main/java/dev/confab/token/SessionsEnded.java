package dev.confab.token;

import java.util.List;

/**
 * Tokens were revoked because their person's sign-in ended (a back-channel logout from the company's provider):
 * the participants whose tokens died, so that their live sockets are closed at once, not at their next join.
 */
public record SessionsEnded(List<Participant> participants) {

    /** One participant of one meeting. */
    public record Participant(String meetingCode, String participantId) {
    }
}
