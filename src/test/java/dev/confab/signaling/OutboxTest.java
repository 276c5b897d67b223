package dev.confab.signaling;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
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

    @Test
    void writesOneFrameAtATimeInOrder() {
        RecordingTransport transport = new RecordingTransport(false);
        Outbox outbox = new Outbox(transport, 100);
        outbox.send("a");
        outbox.send("b");
        outbox.ping();
        outbox.send("c");
        assertEquals(List.of("a"), transport.written, "the rest waits for the first write");
        transport.completeNext();
        assertEquals(List.of("a", "b"), transport.written);
        transport.completeNext();
        assertEquals(List.of("a", "b", "c"), transport.written);
        assertEquals(1, transport.pings);
        assertEquals(1, transport.maxInFlight);
    }

    @Test
    void inlineCompletionsDoNotRecurse() {
        RecordingTransport transport = new RecordingTransport(true);
        Outbox outbox = new Outbox(transport, 1_000_000);
        for (int i = 0; i < 200_000; i++) {
            outbox.send(Integer.toString(i));
        }
        assertEquals(200_000, transport.written.size());
        assertEquals("199999", transport.written.get(199_999));
    }

    @Test
    void aReceiverTooFarBehindIsClosedWith1013() {
        RecordingTransport transport = new RecordingTransport(false);
        Outbox outbox = new Outbox(transport, 3);
        assertTrue(outbox.send("in flight"));
        assertTrue(outbox.send("1"));
        assertTrue(outbox.send("2"));
        assertTrue(outbox.send("3"));
        assertFalse(outbox.send("4"), "over the limit");
        assertTrue(outbox.isClosing());
        transport.completeNext();
        assertEquals(CloseCodes.TRY_AGAIN_LATER, transport.closedWith);
        assertEquals(List.of("in flight"), transport.written, "the backlog is dropped, not sent");
    }

    @Test
    void closeComesAfterWhatWasQueuedAndNothingAfterIt() {
        RecordingTransport transport = new RecordingTransport(false);
        Outbox outbox = new Outbox(transport, 100);
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
            }
        };
        Outbox outbox = new Outbox(failing, 100);
        outbox.send("a");
        assertFalse(outbox.send("b"));
        assertEquals(List.of("a"), written);
    }
}
