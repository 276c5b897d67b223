package dev.confab.meeting;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class MeetingCodesTest {

    @Test
    void codesAreTypeableAndWellFormed() {
        MeetingCodes codes = new MeetingCodes(new SecureRandom());
        for (int i = 0; i < 1000; i++) {
            String code = codes.next();
            assertTrue(code.matches("[a-z]{3}-[a-z]{4}-[a-z]{3}"), code);
            assertTrue(MeetingCodes.wellFormed(code));
        }
    }

    @Test
    void codesCarryAtLeast40RandomBits() {
        assertTrue(10 * Math.log(26) / Math.log(2) >= 40);
        MeetingCodes codes = new MeetingCodes(new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50_000; i++) {
            assertTrue(seen.add(codes.next()));
        }
    }

    @Test
    void otherShapesAreNotCodes() {
        assertFalse(MeetingCodes.wellFormed(null));
        assertFalse(MeetingCodes.wellFormed("ABC-DEFG-HIJ"));
        assertFalse(MeetingCodes.wellFormed("abc-defg-hijk"));
        assertFalse(MeetingCodes.wellFormed("../../etc"));
    }

    @Test
    void historyQueryParameters() {
        assertEquals(20, MyMeetingsResource.parseLimit(null));
        assertEquals(5, MyMeetingsResource.parseLimit("5"));
        assertThrows(dev.confab.common.ApiException.class, () -> MyMeetingsResource.parseLimit("0"));
        assertThrows(dev.confab.common.ApiException.class, () -> MyMeetingsResource.parseLimit("101"));
        assertThrows(dev.confab.common.ApiException.class, () -> MyMeetingsResource.parseLimit("x"));
        assertThrows(dev.confab.common.ApiException.class, () -> MyMeetingsResource.parseBefore("yesterday"));
        assertTrue(MyMeetingsResource.parseBefore("2026-01-01T00:00:00Z").isPresent());
    }
}
