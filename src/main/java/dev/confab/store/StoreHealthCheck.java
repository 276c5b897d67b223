package dev.confab.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code /health/ready}: Confab is ready when its store answers a ping. */
@Readiness
@ApplicationScoped
public class StoreHealthCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(StoreHealthCheck.class.getName());

    private final Store store;
    private final AtomicReference<Boolean> lastUp = new AtomicReference<>();

    protected StoreHealthCheck() {
        this(null);
    }

    @Inject
    public StoreHealthCheck(Store store) {
        this.store = store;
    }

    /**
     * UP or DOWN only: readiness is public, so where the store is and why it failed go to the log (once per
     * change of state), not into the answer.
     */
    @Override
    public HealthCheckResponse call() {
        boolean up;
        try {
            up = store.ping();
            if (!up) {
                logChange(false, "the store answered the ping with an error");
            }
        } catch (RuntimeException e) {
            up = false;
            logChange(false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (up) {
            logChange(true, store.description());
        }
        return HealthCheckResponse.named("store").status(up).build();
    }

    private void logChange(boolean up, String detail) {
        Boolean before = lastUp.getAndSet(up);
        if (before == null || before != up) {
            LOG.log(up ? Level.INFO : Level.WARNING, "Store check " + (up ? "UP" : "DOWN") + ": " + detail);
        }
    }
}
