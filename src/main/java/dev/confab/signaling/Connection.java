package dev.confab.signaling;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open socket to one meeting. It is anonymous until its {@code join} succeeds; afterwards it speaks for one
 * participant until it leaves, is replaced by a newer socket of the same participant, or closes.
 */
public final class Connection {

    private static final long NEVER = Long.MIN_VALUE;

    private final SocketRef ref;
    private final String meetingCode;
    private final String clientAddress;
    private final Outbox outbox;
    private final RateLimiter limiter;
    private final RateLimiter reactions;
    private final long openedAtMillis;
    private final AtomicBoolean joining = new AtomicBoolean();
    /** Still counted among the sockets that have not joined ({@link UnjoinedSockets}). */
    private final AtomicBoolean countedUnjoined;
    private volatile long lastSeenMillis;
    private volatile long lateAnswerAtMillis = NEVER;
    private volatile Participant participant;
    /** Who this socket knocks for while it waits in the lobby (participant is null meanwhile). */
    private volatile Participant knocking;
    private boolean gone; // guarded by this

    Connection(SocketRef ref, String meetingCode, String clientAddress, Outbox outbox, RateLimiter limiter, RateLimiter reactions,
               long nowMillis, boolean countedUnjoined) {
        this.ref = ref;
        this.meetingCode = meetingCode;
        this.clientAddress = clientAddress;
        this.outbox = outbox;
        this.limiter = limiter;
        this.reactions = reactions;
        this.openedAtMillis = nowMillis;
        this.lastSeenMillis = nowMillis;
        this.countedUnjoined = new AtomicBoolean(countedUnjoined);
    }

    /** Where this socket is, as rooms know it. */
    public SocketRef ref() {
        return ref;
    }

    public String meetingCode() {
        return meetingCode;
    }

    String clientAddress() {
        return clientAddress;
    }

    /** The participant this socket speaks for, or null before join and after leaving. */
    public Participant participant() {
        return participant;
    }

    /** Marks the start of this socket's one join; false if it has sent one already. */
    boolean startJoining() {
        return joining.compareAndSet(false, true);
    }

    /** A join is queued or has happened. */
    boolean hasAskedToJoin() {
        return joining.get();
    }

    /** Lets the join take effect, unless the socket closed meanwhile (then it must not take a seat). */
    synchronized boolean admit(Participant who) {
        if (gone) {
            return false;
        }
        knocking = null;
        participant = who;
        return true;
    }

    /** Puts this socket in the lobby for {@code who}, unless it closed meanwhile. */
    synchronized boolean knock(Participant who) {
        if (gone) {
            return false;
        }
        knocking = who;
        return true;
    }

    /** Whom this socket waits in the lobby for, or null. */
    public Participant knocking() {
        return knocking;
    }

    /** The participant's role changed (co-host): later messages act with the new one. */
    void updateParticipant(Participant who) {
        if (participant != null && participant.id().equals(who.id())) {
            participant = who;
        }
    }

    /** The socket is closed: no join may take effect any more. Returns whom it spoke for (null: nobody). */
    synchronized Participant markGone() {
        gone = true;
        return participant;
    }

    /** True once, for the one caller that takes this socket off the count of sockets that have not joined. */
    boolean stopCountingAsUnjoined() {
        return countedUnjoined.compareAndSet(true, false);
    }

    /** This socket no longer speaks for anyone (left, removed, replaced, meeting ended). */
    void retire() {
        participant = null;
        knocking = null;
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

    /** Closes now, dropping what is queued (a receiver that does not read any more). */
    void abort(int code, String reason) {
        outbox.abort(code, reason);
    }

    boolean isClosing() {
        return outbox.isClosing();
    }

    /**
     * Any frame from the client (text, binary, pong) shows it is there. An answer that came {@code lateMillis} or
     * more after the ping is remembered: many sockets answering late together means the server reads late.
     */
    void seen(long nowMillis, long lateMillis) {
        lastSeenMillis = nowMillis;
        if (outbox.answered(nowMillis) >= lateMillis) {
            lateAnswerAtMillis = nowMillis;
        }
    }

    /** Whether this socket answered a ping late within the last {@code windowMillis}. */
    boolean answeredLateWithin(long nowMillis, long windowMillis) {
        long at = lateAnswerAtMillis;
        return at != NEVER && nowMillis - at <= windowMillis;
    }

    long lastSeenMillis() {
        return lastSeenMillis;
    }

    long openedAtMillis() {
        return openedAtMillis;
    }

    long unansweredPingMillis(long nowMillis) {
        return outbox.unansweredPingMillis(nowMillis);
    }

    long writeStalledMillis(long nowMillis) {
        return outbox.writeStalledMillis(nowMillis);
    }

    RateLimiter.Verdict admitMessage(long nowNanos) {
        return limiter.check(nowNanos);
    }

    /** Whether a reaction fits this socket's (much smaller) budget for them. */
    boolean admitReaction(long nowNanos) {
        return reactions.check(nowNanos) == RateLimiter.Verdict.ACCEPT;
    }
}
