package dev.confab.signaling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeetingSocketTest {

    private static final int MAX = MeetingSocket.MAX_MESSAGE_BYTES;

    @Test
    void theLimitCountsUtf8BytesNotChars() {
        assertFalse(MeetingSocket.exceedsLimit("a".repeat(MAX)));
        assertTrue(MeetingSocket.exceedsLimit("a".repeat(MAX + 1)));
        // "é" is 2 bytes in UTF-8: half the limit in chars is the whole limit in bytes
        assertFalse(MeetingSocket.exceedsLimit("é".repeat(MAX / 2)));
        assertTrue(MeetingSocket.exceedsLimit("é".repeat(MAX / 2) + "a"));
        // "€" is 3 bytes: a third of the limit in chars, plus one, is over it
        assertTrue(MeetingSocket.exceedsLimit("€".repeat(MAX / 3 + 1)));
        // an emoji is two chars and 4 bytes
        assertFalse(MeetingSocket.exceedsLimit("😀".repeat(MAX / 4)));
        assertTrue(MeetingSocket.exceedsLimit("😀".repeat(MAX / 4) + "a"));
    }
}
