package dev.confab.signaling;

import org.junit.jupiter.api.Test;

import static dev.confab.signaling.RateLimiter.Verdict.*;
import static org.junit.jupiter.api.Assertions.*;

class RateLimiterTest {

    private static final long MS = 1_000_000;

    @Test
    void aBurstIsAcceptedThenRefusedThenDisconnected() {
        RateLimiter limiter = new RateLimiter(50, 100, 50, 0);
        for (int i = 0; i < 100; i++) {
            assertEquals(ACCEPT, limiter.check(0), "message " + i);
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(REFUSE, limiter.check(0), "refusal " + i);
        }
        assertEquals(DISCONNECT, limiter.check(0));
    }

    @Test
    void fiftyPerSecondSustainedIsFine() {
        RateLimiter limiter = new RateLimiter(50, 100, 50, 0);
        for (int i = 0; i < 10_000; i++) { // 200 s at 50 messages per second
            assertEquals(ACCEPT, limiter.check(i * 20 * MS));
        }
    }

    @Test
    void twiceTheRateSustainedEndsInADisconnect() {
        RateLimiter limiter = new RateLimiter(50, 100, 50, 0);
        RateLimiter.Verdict last = ACCEPT;
        int refused = 0;
        int sent = 0;
        for (; sent < 1000 && last != DISCONNECT; sent++) { // 100 per second
            last = limiter.check(sent * 10 * MS);
            refused += last == REFUSE ? 1 : 0;
        }
        assertEquals(DISCONNECT, last);
        assertTrue(refused > 0);
        assertTrue(sent < 600, "disconnected after " + sent + " messages");
    }

    @Test
    void strikesDrainWhenTheSenderSlowsDown() {
        RateLimiter limiter = new RateLimiter(50, 100, 50, 0);
        for (int i = 0; i < 140; i++) {
            limiter.check(0); // 100 accepted, 40 refused
        }
        assertEquals(ACCEPT, limiter.check(20_000 * MS)); // 20 s later: tokens back, strikes gone
        for (int i = 0; i < 99; i++) {
            assertEquals(ACCEPT, limiter.check(20_000 * MS));
        }
        for (int i = 0; i < 50; i++) {
            assertEquals(REFUSE, limiter.check(20_000 * MS), "a full allowance of strikes again");
        }
    }
}
