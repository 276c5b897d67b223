package dev.confab.signaling;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The per-socket send queue. WebSocket sessions do not allow concurrent sends, and a slow receiver must not hold
 * up the thread that relays to it: any thread may {@link #send} (it only enqueues), and one frame at a time is
 * written with the asynchronous API, the next one started from the completion of the last.
 *
 * <ul>
 *   <li>The queue is bounded in bytes (one per character of queued text): a receiver that falls further behind
 *       is closed with 1013 and its queue dropped at once, so stuck receivers cannot eat the heap and the
 *       senders never wait.</li>
 *   <li>A ping goes out before any queued text (after the one frame in flight): the heartbeat measures the
 *       client, not the length of this queue.</li>
 *   <li>Whatever the container throws while writing ({@link Throwable}, e.g. an encoder's {@code Error}) breaks
 *       this socket only: it is closed with 1011, the queue is dropped and the failure logged.</li>
 * </ul>
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
    private static final long NEVER = Long.MIN_VALUE;

    private final Transport transport;
    private final long limitBytes;
    private final LongSupplier clockMillis;
    private final Queue<Frame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean pingWanted = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    /** No more frames accepted: a close is queued. */
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Nothing more will be written. */
    private volatile boolean closed;
    /** When the text write now in flight started, or {@link #NEVER}. */
    private volatile long writingSinceMillis = NEVER;
    /** When the oldest ping not yet answered (by any frame from the client) was handed to the socket, or {@link #NEVER}. */
    private volatile long unansweredPingSinceMillis = NEVER;

    Outbox(Transport transport, long limitBytes, LongSupplier clockMillis) {
        this.transport = transport;
        this.limitBytes = limitBytes;
        this.clockMillis = clockMillis;
    }

    /** Queues a text frame; false if the socket is closing or this receiver is too far behind. */
    boolean send(String text) {
        if (closing.get()) {
            return false;
        }
        long size = text.length();
        if (queuedBytes.addAndGet(size) > limitBytes) {
            queuedBytes.addAndGet(-size);
            LOG.fine(() -> "Receiver more than " + limitBytes + " bytes behind; closing it");
            overflow();
            return false;
        }
        queue.add(new Text(text));
        drain();
        return true;
    }

    /** Asks for a ping ahead of the queued text; a ping already waiting is not doubled. */
    void ping() {
        if (!closing.get() && pingWanted.compareAndSet(false, true)) {
            drain();
        }
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

    /** Bytes of text waiting to be written (not counting the frame in flight). */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /** How long the text write in flight has taken so far, in ms; 0 when none is in flight. */
    long writeStalledMillis(long nowMillis) {
        long since = writingSinceMillis;
        return since == NEVER ? 0 : nowMillis - since;
    }

    /**
     * How long the oldest ping the client has not answered has been out, in ms; 0 when every ping written so far
     * was answered (any frame from the client answers).
     */
    long unansweredPingMillis(long nowMillis) {
        long since = unansweredPingSinceMillis;
        return since == NEVER ? 0 : nowMillis - since;
    }

    /**
     * The client sent something: it is alive, whatever pings are out. Returns how long the oldest ping had waited
     * for this answer, in ms (0 when none was out).
     */
    long answered(long nowMillis) {
        long since = unansweredPingSinceMillis;
        unansweredPingSinceMillis = NEVER;
        return since == NEVER ? 0 : nowMillis - since;
    }

    private void overflow() {
        abort(CloseCodes.TRY_AGAIN_LATER, "Too slow to receive");
    }

    /**
     * Closes now, ahead of the queue and of a write that may never complete (a receiver that stopped reading),
     * and drops what was queued.
     */
    void abort(int code, String reason) {
        closing.set(true);
        if (closed) {
            return;
        }
        closed = true;
        dropQueue();
        try {
            transport.close(code, reason);
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "Could not close a WebSocket", e);
        }
    }

    /** Writes queued frames until one is still in flight (its completion resumes) or nothing is left. */
    private void drain() {
        while (draining.compareAndSet(false, true)) {
            Frame frame = next();
            if (frame == null) {
                draining.set(false);
                if (queue.isEmpty() && !pingWanted.get()) {
                    return;
                }
                continue; // something arrived after the poll: take it
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

    private Frame next() {
        if (pingWanted.getAndSet(false)) {
            return PING;
        }
        Frame frame = queue.poll();
        if (frame instanceof Text text) {
            queuedBytes.addAndGet(-text.text().length());
        }
        return frame;
    }

    /** Writes one frame; true if it is done already, false if an asynchronous write is still in flight. */
    private boolean write(Frame frame) {
        try {
            if (frame instanceof Text text) {
                return writeText(text.text());
            }
            if (frame instanceof Ping) {
                transport.sendPing();
                if (unansweredPingSinceMillis == NEVER) {
                    unansweredPingSinceMillis = clockMillis.getAsLong();
                }
                return true;
            }
            Close close = (Close) frame;
            closed = true;
            dropQueue();
            transport.close(close.code(), close.reason());
            return true;
        } catch (IOException e) {
            gone(e);
            return true;
        } catch (Throwable e) { // the container could not write it: this socket only, never the caller's thread
            broken(e);
            return true;
        }
    }

    private boolean writeText(String text) {
        // 0: write running, 1: it completed before sendText returned, 2: sendText returned first
        AtomicInteger state = new AtomicInteger();
        writingSinceMillis = clockMillis.getAsLong();
        transport.sendText(text, failure -> {
            writingSinceMillis = NEVER;
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

    /** An asynchronous write failed: usually the peer is gone (I/O), otherwise the container broke. */
    private void failed(Throwable failure) {
        if (isIoFailure(failure)) {
            gone(failure);
        } else {
            broken(failure);
        }
    }

    /** The connection is gone; the container reports the close, which ends the participant's presence. */
    private void gone(Throwable failure) {
        LOG.log(Level.FINE, "Send failed; dropping this socket's queue", failure);
        stop();
    }

    private void broken(Throwable failure) {
        LOG.log(Level.WARNING, "Writing to a WebSocket failed unexpectedly; closing that socket with 1011", failure);
        abort(CloseCodes.INTERNAL_ERROR, "Server error while sending");
    }

    private void stop() {
        closing.set(true);
        closed = true;
        dropQueue();
    }

    private void dropQueue() {
        queue.clear();
        pingWanted.set(false);
        queuedBytes.set(0);
    }

    private static boolean isIoFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
