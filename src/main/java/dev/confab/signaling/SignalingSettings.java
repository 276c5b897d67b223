package dev.confab.signaling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/** The signalling endpoint's tunables (all documented in docs/configuration.md). */
@ApplicationScoped
public class SignalingSettings {

    private final Duration joinTimeout;
    private final Duration heartbeatInterval;
    private final Duration heartbeatTimeout;
    private final int ratePerSecond;
    private final int reactionBurst;
    private final double reactionsPerSecond;
    private final int rateBurst;
    private final long outboxBytes;
    private final Duration reconnectGrace;
    private final int laneWorkers;
    private final Duration shedAfter;
    private final int shedQueue;
    private final int unjoinedPerAddress;
    private final int unjoinedMax;
    private final int joinBurst;
    private final int joinsPerMinute;

    protected SignalingSettings() {
        this(null, null, null, 0, 0, 0, null, 0, null, 0, 0, 0, 0, 0, 0, 0);
    }

    @Inject
    public SignalingSettings(
            @ConfigProperty(name = "confab.ws.join-timeout", defaultValue = "PT10S") Duration joinTimeout,
            @ConfigProperty(name = "confab.ws.heartbeat-interval", defaultValue = "PT1S") Duration heartbeatInterval,
            @ConfigProperty(name = "confab.ws.heartbeat-timeout", defaultValue = "PT3S") Duration heartbeatTimeout,
            @ConfigProperty(name = "confab.ws.rate.per-second", defaultValue = "50") int ratePerSecond,
            @ConfigProperty(name = "confab.ws.rate.burst", defaultValue = "100") int rateBurst,
            @ConfigProperty(name = "confab.ws.outbox-bytes", defaultValue = "1048576") long outboxBytes,
            @ConfigProperty(name = "confab.ws.reconnect-grace", defaultValue = "PT15S") Duration reconnectGrace,
            @ConfigProperty(name = "confab.ws.lane-workers", defaultValue = "2") int laneWorkers,
            @ConfigProperty(name = "confab.ws.shed-after", defaultValue = "PT0.1S") Duration shedAfter,
            @ConfigProperty(name = "confab.ws.shed-queue", defaultValue = "2000") int shedQueue,
            @ConfigProperty(name = "confab.ws.unjoined.per-address", defaultValue = "20") int unjoinedPerAddress,
            @ConfigProperty(name = "confab.ws.unjoined.max", defaultValue = "2000") int unjoinedMax,
            @ConfigProperty(name = "confab.ws.join-rate.burst", defaultValue = "10") int joinBurst,
            @ConfigProperty(name = "confab.ws.join-rate.per-minute", defaultValue = "30") int joinsPerMinute,
            @ConfigProperty(name = "confab.ws.reactions.burst", defaultValue = "5") int reactionBurst,
            @ConfigProperty(name = "confab.ws.reactions.per-second", defaultValue = "1") double reactionsPerSecond) {
        this.joinTimeout = joinTimeout;
        this.heartbeatInterval = heartbeatInterval;
        this.heartbeatTimeout = heartbeatTimeout;
        this.ratePerSecond = ratePerSecond;
        this.rateBurst = rateBurst;
        this.outboxBytes = outboxBytes;
        this.reconnectGrace = reconnectGrace;
        this.laneWorkers = Math.max(1, laneWorkers);
        this.shedAfter = shedAfter;
        this.shedQueue = shedQueue;
        this.unjoinedPerAddress = unjoinedPerAddress;
        this.unjoinedMax = unjoinedMax;
        this.joinBurst = joinBurst;
        this.joinsPerMinute = joinsPerMinute;
        this.reactionBurst = reactionBurst;
        this.reactionsPerSecond = reactionsPerSecond;
    }

    public Duration joinTimeout() {
        return joinTimeout;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    public int ratePerSecond() {
        return ratePerSecond;
    }

    public int rateBurst() {
        return rateBurst;
    }

    /** Refused messages (at most this many, draining slowly) before a flooding socket is closed. */
    public int rateStrikes() {
        return ratePerSecond;
    }

    /** Bytes of text that may wait for one slow receiver before its socket is closed with 1013. */
    public long outboxBytes() {
        return outboxBytes;
    }

    /** How long a participant whose socket dropped keeps its place, for a re-join the others do not notice. */
    public Duration reconnectGrace() {
        return reconnectGrace;
    }

    /** Threads that run meetings' store work (joins, chat, host actions): {@link MeetingLanes}. */
    public int laneWorkers() {
        return laneWorkers;
    }

    /** Chat is refused ({@code busy}) while queued chat waits longer than this. */
    public Duration shedAfter() {
        return shedAfter;
    }

    /** Chat is refused ({@code busy}) while this many chat messages wait. */
    public int shedQueue() {
        return shedQueue;
    }

    /** Sockets one client address may hold open without having joined. */
    public int unjoinedPerAddress() {
        return unjoinedPerAddress;
    }

    /** Sockets the server holds open without a join, all addresses together. */
    public int unjoinedMax() {
        return unjoinedMax;
    }

    /** Joins one participant token may attempt at once, then {@link #joinsPerMinute()}. */
    public int joinBurst() {
        return joinBurst;
    }

    public int joinsPerMinute() {
        return joinsPerMinute;
    }

    /** Reactions one socket may send at once, then {@link #reactionsPerSecond()}; more are refused, never relayed. */
    public int reactionBurst() {
        return reactionBurst;
    }

    public double reactionsPerSecond() {
        return reactionsPerSecond;
    }
}
