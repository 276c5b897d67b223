package dev.confab.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /health/ready}: Confab is ready when its store answers a ping. */
@Readiness
@ApplicationScoped
public class StoreHealthCheck implements HealthCheck {

    private final Store store;

    protected StoreHealthCheck() {
        this(null);
    }

    @Inject
    public StoreHealthCheck(Store store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("store").withData("store", String.valueOf(store.description()));
        try {
            return response.status(store.ping()).build();
        } catch (RuntimeException e) {
            return response.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
