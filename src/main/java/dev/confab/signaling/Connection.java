package dev.confab.signaling;

/**
 * One open socket to one meeting. It is anonymous until its {@code join} succeeds; afterwards it speaks for one
 * participant until it leaves, is replaced by a newer socket of the same participant, or closes.
 */
public final class Connection {

    private final String meetingCode;
    private final Outbox outbox;
    private final RateLimiter limiter;
    private final long openedAtMillis;
    private volatile long lastSeenMillis;
    private volatile Participant participant;

    Connection(String meetingCode, Outbox outbox, RateLimiter limiter, long nowMillis) {
        this.meetingCode = meetingCode;
        this.outbox = outbox;
        this.limiter = limiter;
        this.openedAtMillis = nowMillis;
        this.lastSeenMillis = nowMillis;
    }

    public String meetingCode() {
        return meetingCode;
    }

    /** The participant this socket speaks for, or null before join and after leaving. */
    public Participant participant() {
        return participant;
    }

    void admit(Participant who) {
        participant = who;
    }

    /** This socket no longer speaks for anyone (left, removed, replaced, meeting ended). */
    void retire() {
        participant = null;
    }

    /** Queues a message; never blocks. */
    public void send(String json) {
        outbox.send(json);
    }

    void ping() {
        outbox.ping();
    }

    /** Closes after everything already queued has been sent. */
    public void close(int code, String reason) {
        outbox.close(code, reason);
    }

    boolean isClosing() {
        return outbox.isClosing();
    }

    void seen(long nowMillis) {
        lastSeenMillis = nowMillis;
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    long openedAtMillis() {
        return openedAtMillis;
    }

    RateLimiter.Verdict admitMessage(long nowNanos) {
        return limiter.check(nowNanos);
    }
}
