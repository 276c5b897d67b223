package dev.confab.signaling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

class OutboxTest {

    /** Records what is written; completes sends inline or holds them until {@link #completeNext}. */
    static final class RecordingTransport implements Transport {
        final List<String> written = new ArrayList<>();
        final List<Consumer<Throwable>> inFlight = new ArrayList<>();
        final boolean inline;
        int pings;
        Integer closedWith;
        int maxInFlight;

        RecordingTransport(boolean inline) {
            this.inline = inline;
        }

        @Override
        public void sendText(String text, Consumer<Throwable> done) {
            assertNull(closedWith, "nothing is written after the close");
            written.add(text);
            if (inline) {
                done.accept(null);
            } else {
                inFlight.add(done);
                maxInFlight = Math.max(maxInFlight, inFlight.size());
            }
        }

        @Override
        public void sendPing() {
            pings++;
        }

        @Override
        public void close(int code, String reason) {
            closedWith = code;
        }

        void completeNext() {
            inFlight.remove(0).accept(null);
        }
    }

    private final AtomicLong now = new AtomicLong(1_000);

    private Outbox outbox(Transport transport, long limitBytes) {
        return new Outbox(transport, limitBytes, now::get);
    }

    @Test
    void writesOneFrameAtATimeInOrder() {
        RecordingTransport transport = new RecordingTransport(false);
        Outbox outbox = outbox(transport, 100);
        outbox.send("a");
        outbox.send("b");
        outbox.send("c");
        assertEquals(List.of("a"), transport.written, "the rest waits for the first write");
        transport.completeNext();
        assertEquals(List.of("a", "b"), transport.written);
        transport.completeNext();
        assertEquals(List.of("a", "b", "c"), transport.written);
        assertEquals(1, transport.maxInFlight);
    }

    @Test
    void aPingGoesBeforeQueuedTextAndIsNotDoubled() {
        RecordingTransport transport = new RecordingTransport(false);
        Outbox outbox = outbox(transport, 100);
        outbox.send("in flight");
        outbox.send("queued 1");
        outbox.send("queued 2");
        outbox.ping();
        outbox.ping();
        assertEquals(0, transport.pings, "nothing overtakes the frame in flight");
        now.addAndGet(500);
        transport.completeNext();
        assertEquals(1, transport.pings, "the ping left before the queued text");
        assertEquals(List.of("in flight", "queued 1"), transport.written);
        assertEquals(0, outbox.unansweredPingMillis(now.get()));
        now.addAndGet(2_000);
        assertEquals(2_000, outbox.unansweredPingMillis(now.get()), "out since it was written, not since it was asked");
        outbox.ping();
        transport.completeNext();
        now.addAndGet(1_000);
        assertEquals(3_000, outbox.unansweredPingMillis(now.get()), "the oldest unanswered ping counts");
        assertEquals(3_000, outbox.answered(now.get()), "the answer says how long the oldest ping waited");
        assertEquals(0, outbox.unansweredPingMillis(now.get()));
        assertEquals(0, outbox.answered(now.get()), "nothing was out");
    }

    @Test
    void aStuckWriteIsMeasured() {
        RecordingTransport transport = new RecordingTransport(false);
        Outbox outbox = outbox(transport, 100);
        assertEquals(0, outbox.writeStalledMillis(now.get()));
        outbox.send("never acknowledged");
        now.addAndGet(4_000);
        assertEquals(4_000, outbox.writeStalledMillis(now.get()));
        transport.completeNext();
        assertEquals(0, outbox.writeStalledMillis(now.get()));
    }

    @Test
    void inlineCompletionsDoNotRecurse() {
        RecordingTransport transport = new RecordingTransport(true);
        Outbox outbox = outbox(transport, 1_000_000);
        for (int i = 0; i < 200_000; i++) {
            outbox.send(Integer.toString(i));
        }
        assertEquals(200_000, transport.written.size());
        assertEquals("199999", transport.written.get(199_999));
    }

    @Test
    void aReceiverTooManyBytesBehindIsClosedAtOnceWith1013AndItsQueueDropped() {
        RecordingTransport transport = new RecordingTransport(false);
        Outbox outbox = outbox(transport, 10);
        assertTrue(outbox.send("flying")); // written at once: no longer counted
        assertTrue(outbox.send("12345"));
        assertTrue(outbox.send("67890"));
        assertEquals(10, outbox.queuedBytes());
        assertFalse(outbox.send("x"), "one byte over the limit");
        assertTrue(outbox.isClosing());
        assertEquals(CloseCodes.TRY_AGAIN_LATER, transport.closedWith, "closed now, not behind a write that may never end");
        assertEquals(0, outbox.queuedBytes(), "its memory is freed");
        transport.completeNext();
        assertEquals(List.of("flying"), transport.written, "the backlog is dropped, not sent");
    }

    @Test
    void manySmallFramesFitWhereTheByteLimitAllows() {
        RecordingTransport transport = new RecordingTransport(false);
        Outbox outbox = outbox(transport, 1_000);
        outbox.send("first");
        for (int i = 0; i < 100; i++) {
            assertTrue(outbox.send("0123456789"), "frame " + i);
        }
        assertFalse(outbox.send("!"));
    }

    @Test
    void closeComesAfterWhatWasQueuedAndNothingAfterIt() {
        RecordingTransport transport = new RecordingTransport(false);
        Outbox outbox = outbox(transport, 100);
        outbox.send("meeting-ended");
        outbox.close(CloseCodes.MEETING_ENDED, "ended");
        assertFalse(outbox.send("late"));
        assertNull(transport.closedWith);
        transport.completeNext();
        assertEquals(CloseCodes.MEETING_ENDED, transport.closedWith);
        assertEquals(List.of("meeting-ended"), transport.written);
        outbox.close(CloseCodes.NORMAL, "again"); // a second close is ignored
        assertEquals(CloseCodes.MEETING_ENDED, transport.closedWith);
    }

    @Test
    void aFailedWriteStopsTheQueue() {
        List<String> written = new ArrayList<>();
        Integer[] closed = {null};
        Transport failing = new Transport() {
            @Override
            public void sendText(String text, Consumer<Throwable> done) {
                written.add(text);
                done.accept(new java.io.IOException("broken pipe"));
            }

            @Override
            public void sendPing() {
            }

            @Override
            public void close(int code, String reason) {
                closed[0] = code;
            }
        };
        Outbox outbox = outbox(failing, 100);
        outbox.send("a");
        assertFalse(outbox.send("b"));
        assertEquals(List.of("a"), written);
        assertNull(closed[0], "the connection is gone: the container reports the close");
    }

    /** The defect behind a wedged socket: the container's encoder threw an Error and the queue stayed "draining". */
    @Test
    void whateverTheContainerThrowsClosesThatSocketWith1011AndLeavesTheQueueConsistent() {
        for (boolean sync : new boolean[] {true, false}) {
            List<String> written = new ArrayList<>();
            Integer[] closed = {null};
            Transport throwing = new Transport() {
                @Override
                public void sendText(String text, Consumer<Throwable> done) {
                    written.add(text);
                    if (text.equals("poison")) {
                        if (sync) {
                            throw new Error("Cannot encode");
                        }
                        done.accept(new IllegalStateException("encoder failed"));
                        return;
                    }
                    done.accept(null);
                }

                @Override
                public void sendPing() {
                }

                @Override
                public void close(int code, String reason) {
                    closed[0] = code;
                }
            };
            Outbox outbox = outbox(throwing, 100);
            assertTrue(outbox.send("fine"));
            outbox.send("poison"); // must not throw into the caller (another participant's thread)
            assertEquals(CloseCodes.INTERNAL_ERROR, closed[0], sync ? "thrown" : "reported");
            assertTrue(outbox.isClosing());
            assertFalse(outbox.send("after"));
            outbox.ping();
            assertEquals(List.of("fine", "poison"), written);
        }
    }
}
