package dev.confab.signaling;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class MeetingLanesTest {

    private MeetingLanes lanes;

    private MeetingLanes lanes(int workers, Duration shedAfter, int shedQueue) {
        SignalingSettings settings = new SignalingSettings(Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(3), 50, 100, 1 << 20, Duration.ofSeconds(15), workers, shedAfter, shedQueue,
                20, 2000, 10, 30, 5, 1);
        lanes = new MeetingLanes(settings);
        lanes.start(Executors.defaultThreadFactory());
        return lanes;
    }

    @AfterEach
    void stop() {
        lanes.stop();
    }

    @Test
    void oneMeetingsTasksRunInOrderAndNeverTogether() throws Exception {
        lanes(4, Duration.ofSeconds(10), 100_000);
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlap = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1000);
        for (int i = 0; i < 1000; i++) {
            int n = i;
            assertTrue(lanes.submit("m", MeetingLanes.Priority.ESSENTIAL, () -> {
                if (running.incrementAndGet() > 1) {
                    overlap.incrementAndGet();
                }
                seen.add(n);
                running.decrementAndGet();
                done.countDown();
            }));
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        assertEquals(0, overlap.get());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, seen.get(i));
        }
    }

    @Test
    void aBusyMeetingDoesNotHoldUpAnother() throws Exception {
        lanes(1, Duration.ofSeconds(10), 100_000);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch other = new CountDownLatch(1);
        lanes.submit("busy", MeetingLanes.Priority.ESSENTIAL, () -> { });
        for (int i = 0; i < 50; i++) {
            lanes.submit("busy", MeetingLanes.Priority.ESSENTIAL, () -> sleep(5));
        }
        lanes.submit("quiet", MeetingLanes.Priority.ESSENTIAL, other::countDown);
        assertTrue(other.await(100, TimeUnit.MILLISECONDS), "one task per meeting per turn: the quiet one's turn came soon");
        release.countDown();
    }

    @Test
    void sheddableWorkIsRefusedWhileTheQueueIsFullAndTakenAgainOnceItDrains() throws Exception {
        lanes(1, Duration.ofSeconds(10), 5);
        CountDownLatch hold = new CountDownLatch(1);
        lanes.submit("m", MeetingLanes.Priority.ESSENTIAL, () -> await(hold));
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (lanes.submit("m", MeetingLanes.Priority.SHEDDABLE, () -> { })) {
                accepted++;
            }
        }
        assertEquals(5, accepted, "confab.ws.shed-queue");
        assertTrue(lanes.isBehind());
        assertTrue(lanes.submit("m", MeetingLanes.Priority.ESSENTIAL, () -> { }), "essential work is never refused");
        long retry = lanes.retryAfterMillis();
        assertTrue(retry >= 500 && retry <= 5500, "retry hint " + retry);
        hold.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lanes.isBehind() && System.nanoTime() < deadline) {
            sleep(5);
        }
        assertFalse(lanes.isBehind());
        assertTrue(lanes.submit("m", MeetingLanes.Priority.SHEDDABLE, () -> { }));
    }

    @Test
    void sheddableWorkIsRefusedWhileQueuedWorkWaitsTooLong() throws Exception {
        lanes(1, Duration.ofMillis(20), 100_000);
        CountDownLatch hold = new CountDownLatch(1);
        lanes.submit("slow", MeetingLanes.Priority.ESSENTIAL, () -> await(hold));
        lanes.submit("slow", MeetingLanes.Priority.SHEDDABLE, () -> { });
        lanes.submit("slow", MeetingLanes.Priority.SHEDDABLE, () -> sleep(50));
        lanes.submit("slow", MeetingLanes.Priority.SHEDDABLE, () -> { });
        sleep(60);
        hold.countDown(); // the first sheddable task starts after waiting 60 ms > 20 ms
        sleep(20);
        assertTrue(lanes.isBehind(), "queued chat waited past confab.ws.shed-after");
        assertFalse(lanes.submit("slow", MeetingLanes.Priority.SHEDDABLE, () -> { }));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lanes.isBehind() && System.nanoTime() < deadline) {
            sleep(5);
        }
        assertFalse(lanes.isBehind(), "caught up: chat is taken again");
    }

    @Test
    void aFailingTaskDoesNotStopItsMeeting() throws Exception {
        lanes(1, Duration.ofSeconds(10), 100);
        CountDownLatch after = new CountDownLatch(1);
        lanes.submit("m", MeetingLanes.Priority.ESSENTIAL, () -> {
            throw new Error("boom");
        });
        lanes.submit("m", MeetingLanes.Priority.ESSENTIAL, after::countDown);
        assertTrue(after.await(5, TimeUnit.SECONDS));
    }

    @Test
    void aLaneWaitsForItsTasksStageWithoutHoldingTheWorker() throws Exception {
        lanes(1, Duration.ofSeconds(10), 100_000);
        CompletableFuture<Void> stored = new CompletableFuture<>();
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch otherRan = new CountDownLatch(1);
        CountDownLatch nextRan = new CountDownLatch(1);
        lanes.submitAsync("m", MeetingLanes.Priority.SHEDDABLE, () -> {
            seen.add("first");
            return stored;
        });
        lanes.submit("m", MeetingLanes.Priority.ESSENTIAL, () -> {
            seen.add("second");
            nextRan.countDown();
        });
        lanes.submit("other", MeetingLanes.Priority.ESSENTIAL, otherRan::countDown);
        assertTrue(otherRan.await(1, TimeUnit.SECONDS), "the only worker is free while the first task's stage is open");
        assertFalse(nextRan.await(200, TimeUnit.MILLISECONDS), "the meeting's next task waits for that stage");
        assertEquals(List.of("first"), seen);
        stored.completeExceptionally(new IllegalStateException("a failed stage ends the turn too"));
        assertTrue(nextRan.await(1, TimeUnit.SECONDS));
        assertEquals(List.of("first", "second"), seen);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
