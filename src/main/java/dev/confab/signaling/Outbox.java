package dev.confab.signaling;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The per-socket send queue. WebSocket sessions do not allow concurrent sends, and a slow receiver must not hold
 * up the thread that relays to it: any thread may {@link #send} (it only enqueues), and one frame at a time is
 * written with the asynchronous API, the next one started from the completion of the last. A receiver that falls
 * {@code limit} frames behind is closed with 1013 rather than buffered without bound.
 */
final class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    private sealed interface Frame permits Text, Ping, Close {
    }

    private record Text(String text) implements Frame {
    }

    private record Ping() implements Frame {
    }

    private record Close(int code, String reason) implements Frame {
    }

    private static final Ping PING = new Ping();

    private final Transport transport;
    private final int limit;
    private final Queue<Frame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** No more frames accepted: a close is queued. */
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Nothing more will be written. */
    private volatile boolean closed;

    Outbox(Transport transport, int limit) {
        this.transport = transport;
        this.limit = limit;
    }

    /** Queues a text frame; false if the socket is closing or this receiver is too far behind. */
    boolean send(String text) {
        return offer(new Text(text));
    }

    void ping() {
        offer(PING);
    }

    /** Queues a close after everything already queued; later sends are dropped. */
    void close(int code, String reason) {
        if (closing.compareAndSet(false, true)) {
            queue.add(new Close(code, reason));
            drain();
        }
    }

    boolean isClosing() {
        return closing.get();
    }

    private boolean offer(Frame frame) {
        if (closing.get()) {
            return false;
        }
        if (pending.incrementAndGet() > limit) {
            pending.decrementAndGet();
            LOG.fine(() -> "Receiver more than " + limit + " frames behind; closing it");
            queue.clear();
            close(CloseCodes.TRY_AGAIN_LATER, "Too slow to receive");
            return false;
        }
        queue.add(frame);
        drain();
        return true;
    }

    /** Writes queued frames until one is still in flight (its completion resumes) or the queue is empty. */
    private void drain() {
        while (draining.compareAndSet(false, true)) {
            Frame frame = queue.poll();
            if (frame == null) {
                draining.set(false);
                if (queue.isEmpty()) {
                    return;
                }
                continue; // something arrived after the poll: take it
            }
            if (!(frame instanceof Close)) {
                pending.decrementAndGet();
            }
            if (closed) {
                draining.set(false);
                continue; // drop it
            }
            if (!write(frame)) {
                return; // in flight: its completion releases the drain
            }
            draining.set(false);
        }
    }

    /** Writes one frame; true if it is done already, false if an asynchronous write is still in flight. */
    private boolean write(Frame frame) {
        if (frame instanceof Text text) {
            // 0: write running, 1: it completed before sendText returned, 2: sendText returned first
            AtomicInteger state = new AtomicInteger();
            transport.sendText(text.text(), failure -> {
                if (failure != null) {
                    failed(failure);
                }
                if (!state.compareAndSet(0, 1)) {
                    draining.set(false);
                    drain();
                }
            });
            return !state.compareAndSet(0, 2);
        }
        if (frame instanceof Ping) {
            try {
                transport.sendPing();
            } catch (IOException | RuntimeException e) {
                failed(e);
            }
            return true;
        }
        Close close = (Close) frame;
        closed = true;
        queue.clear();
        transport.close(close.code(), close.reason());
        return true;
    }

    private void failed(Throwable failure) {
        // the socket is broken; the container reports the close, which ends the participant's presence
        LOG.log(Level.FINE, "Send failed; dropping this socket's queue", failure);
        closing.set(true);
        closed = true;
        queue.clear();
    }
}
