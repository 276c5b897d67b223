package dev.confab.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /health/ready}: a clustered node is ready once it has joined the cluster and opened its inbox, so that a
 * load balancer sends it nobody whom the others could not reach yet. A single node always is.
 */
@Readiness
@ApplicationScoped
public class ClusterHealthCheck implements HealthCheck {

    private final ClusterSettings settings;
    private final ClusterInbox inbox;

    protected ClusterHealthCheck() {
        this(null, null);
    }

    @Inject
    public ClusterHealthCheck(ClusterSettings settings, ClusterInbox inbox) {
        this.settings = settings;
        this.inbox = inbox;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("cluster").status(!settings.clustered() || inbox.isOpen()).build();
    }
}
