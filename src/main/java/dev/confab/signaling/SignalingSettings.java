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
    private final int rateBurst;
    private final int outboxLimit;
    private final Duration reconnectGrace;

    protected SignalingSettings() {
        this(null, null, null, 0, 0, 0, null);
    }

    @Inject
    public SignalingSettings(
            @ConfigProperty(name = "confab.ws.join-timeout", defaultValue = "PT10S") Duration joinTimeout,
            @ConfigProperty(name = "confab.ws.heartbeat-interval", defaultValue = "PT1S") Duration heartbeatInterval,
            @ConfigProperty(name = "confab.ws.heartbeat-timeout", defaultValue = "PT3S") Duration heartbeatTimeout,
            @ConfigProperty(name = "confab.ws.rate.per-second", defaultValue = "50") int ratePerSecond,
            @ConfigProperty(name = "confab.ws.rate.burst", defaultValue = "100") int rateBurst,
            @ConfigProperty(name = "confab.ws.outbox-limit", defaultValue = "1024") int outboxLimit,
            @ConfigProperty(name = "confab.ws.reconnect-grace", defaultValue = "PT15S") Duration reconnectGrace) {
        this.joinTimeout = joinTimeout;
        this.heartbeatInterval = heartbeatInterval;
        this.heartbeatTimeout = heartbeatTimeout;
        this.ratePerSecond = ratePerSecond;
        this.rateBurst = rateBurst;
        this.outboxLimit = outboxLimit;
        this.reconnectGrace = reconnectGrace;
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

    public int outboxLimit() {
        return outboxLimit;
    }

    /** How long a participant whose socket dropped keeps its place, for a re-join the others do not notice. */
    public Duration reconnectGrace() {
        return reconnectGrace;
    }
}
