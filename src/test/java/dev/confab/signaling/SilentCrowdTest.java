package dev.confab.signaling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SilentCrowdTest {

    @Test
    void aFewSilentClientsAreDroppedWhateverTheirShare() {
        SilentCrowd crowd = new SilentCrowd(30_000);
        assertFalse(crowd.defersDrops(1, 1, 0), "the one socket of a server vanished");
        assertFalse(crowd.defersDrops(2, 2, 0));
        assertFalse(crowd.defersDrops(2, 1000, 0));
    }

    @Test
    void aCrowdWaitsButNotForever() {
        SilentCrowd crowd = new SilentCrowd(30_000);
        assertTrue(crowd.defersDrops(3, 12, 1_000), "a quarter of the sockets at once");
        assertTrue(crowd.defersDrops(12, 12, 20_000));
        assertFalse(crowd.defersDrops(12, 12, 31_000), "still silent after the longest wait: gone");
    }

    @Test
    void aSmallShareOfManyIsNoCrowd() {
        SilentCrowd crowd = new SilentCrowd(30_000);
        assertFalse(crowd.defersDrops(249, 1000, 0));
        assertTrue(crowd.defersDrops(250, 1000, 0));
    }

    @Test
    void theWaitStartsAgainOnceTheCrowdIsHeard() {
        SilentCrowd crowd = new SilentCrowd(30_000);
        assertTrue(crowd.defersDrops(10, 10, 0));
        assertFalse(crowd.defersDrops(0, 10, 25_000), "answers came in");
        assertTrue(crowd.defersDrops(10, 10, 40_000), "a new crowd gets its own wait");
        assertTrue(crowd.defersDrops(10, 10, 69_000));
    }
}
