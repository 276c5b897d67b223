package dev.confab.throttle;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

class LocalThrottlesTest {

    private static final Throttles.Penalty PENALTY = new Throttles.Penalty(3, Duration.ofSeconds(1),
            Duration.ofSeconds(8), Duration.ofMinutes(15));

    @Test
    void failuresPastTheFreeOnesBlockForADoublingTimeUpToTheCap() {
        LocalThrottles throttles = new LocalThrottles();
        long now = 0;
        for (int i = 0; i < 2; i++) {
            assertEquals(0, throttles.recordFailure("k", PENALTY, now));
        }
        assertEquals(0, throttles.blockedForMillis("k", now), "two of the three free attempts used");
        assertEquals(1000, throttles.recordFailure("k", PENALTY, now), "the third free one used: the next waits");
        assertEquals(1000, throttles.blockedForMillis("k", now));
        assertEquals(400, throttles.blockedForMillis("k", now + 600));
        assertEquals(0, throttles.blockedForMillis("k", now + 1000));
        assertEquals(2000, throttles.recordFailure("k", PENALTY, now += 1000));
        assertEquals(4000, throttles.recordFailure("k", PENALTY, now += 2000));
        assertEquals(8000, throttles.recordFailure("k", PENALTY, now += 4000));
        assertEquals(8000, throttles.recordFailure("k", PENALTY, now += 8000), "capped");
        assertEquals(8000, throttles.recordFailure("k", PENALTY, now += 8000), "still capped");
        assertEquals(0, throttles.blockedForMillis("other", now), "keys are apart");
    }

    @Test
    void successForgivesAndAQuietSpellForgets() {
        LocalThrottles throttles = new LocalThrottles();
        for (int i = 0; i < 4; i++) {
            throttles.recordFailure("k", PENALTY, 0);
        }
        assertTrue(throttles.blockedForMillis("k", 0) > 0);
        throttles.forgive("k");
        assertEquals(0, throttles.blockedForMillis("k", 0));
        assertEquals(0, throttles.recordFailure("k", PENALTY, 0), "counting starts afresh");
        for (int i = 0; i < 2; i++) {
            throttles.recordFailure("j", PENALTY, 0);
        }
        long later = Duration.ofMinutes(16).toMillis();
        assertEquals(0, throttles.recordFailure("j", PENALTY, later), "forgotten after 15 quiet minutes");
    }

    @Test
    void bucketsGrantTheBurstThenTheRate() {
        LocalThrottles throttles = new LocalThrottles();
        Throttles.Bucket bucket = new Throttles.Bucket(3, 2);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, throttles.take("b", bucket, 0));
        }
        assertEquals(500, throttles.take("b", bucket, 0), "half a second until the next one");
        assertEquals(0, throttles.take("b", bucket, 500));
        assertEquals(0, throttles.take("c", bucket, 500), "another key has its own bucket");
    }

    @Test
    void sweptEntriesGoAndTheMapStaysBounded() {
        LocalThrottles throttles = new LocalThrottles();
        Throttles.Bucket bucket = new Throttles.Bucket(1, 1);
        for (int i = 0; i < 1000; i++) {
            throttles.take("k" + i, bucket, 0);
        }
        assertEquals(1000, throttles.size());
        throttles.sweep(10_000);
        assertEquals(0, throttles.size(), "full buckets and forgotten failures are dropped");
    }
}
