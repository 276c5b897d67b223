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
    private long periodNanos;
    private volatile long lastTickNanos;
    /** Until when the server counts as having stalled (a late tick): nobody is dropped before then. */
    private volatile long stalledUntilNanos;

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
        periodNanos = TimeUnit.MILLISECONDS.toNanos(period);
        beat = scheduler.scheduleAtFixedRate(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            long last = lastTickNanos;
            lastTickNanos = now;
            if (last != 0 && now - last > 3 * periodNanos) {
                // this JVM was behind (CPU starved, a GC pause): pongs may be waiting unread, so blame nobody for a
                // heartbeat timeout's worth of time
                stalledUntilNanos = now + settings.heartbeatTimeout().toNanos();
                LOG.fine(() -> "Heartbeat ran " + TimeUnit.NANOSECONDS.toMillis(now - last) + " ms after the last beat");
            }
            signaling.checkLiveness(Math.floorMod(ticks.getAndIncrement(), SLICES), SLICES, now < stalledUntilNanos);
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
