package dev.confab.signaling;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the signalling liveness check on a fixed beat, from deployment on. The beat is cut into {@link #SLICES}
 * ticks, each checking one slice of the sockets: every socket is still checked once per beat, but the pings of
 * a thousand quiet sockets no longer leave in one burst that delays the messages queued behind it (the
 * benchmark's relay p99 came from those bursts).
 */
@ApplicationScoped
public class Heartbeat {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class.getName());

    static final int SLICES = 10;

    private final SignalingService signaling;
    private final SignalingSettings settings;
    private final AtomicInteger ticks = new AtomicInteger();
    private ScheduledFuture<?> beat;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    protected Heartbeat() {
        this(null, null);
    }

    @Inject
    public Heartbeat(SignalingService signaling, SignalingSettings settings) {
        this.signaling = signaling;
        this.settings = settings;
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        long period = Math.max(1, settings.heartbeatInterval().toMillis() / SLICES);
        beat = scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            signaling.checkLiveness(Math.floorMod(ticks.getAndIncrement(), SLICES), SLICES);
        } catch (RuntimeException e) { // a failed beat must not cancel the next ones
            LOG.log(Level.SEVERE, "Heartbeat check failed", e);
        }
    }

    @PreDestroy
    void stop() {
        if (beat != null) {
            beat.cancel(false);
        }
    }
}
