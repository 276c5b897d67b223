package dev.confab.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's settings (docs/configuration.md). Without {@code confab.cluster.members} this node is alone: no
 * data grid starts, nothing listens, and every shared thing stays in this JVM's memory.
 */
@ApplicationScoped
public class ClusterSettings {

    private final List<String> members;
    private final int port;
    private final String bindAddress;
    private final String name;
    private final Duration memberTimeout;

    protected ClusterSettings() {
        this(Optional.empty(), 0, null, null, null);
    }

    @Inject
    public ClusterSettings(// a comma-separated string: Payara's config producer cannot give an Optional<List>
                           @ConfigProperty(name = "confab.cluster.members") Optional<String> members,
                           @ConfigProperty(name = "confab.cluster.port", defaultValue = "5701") int port,
                           @ConfigProperty(name = "confab.cluster.interface", defaultValue = "127.0.0.1") String bindAddress,
                           @ConfigProperty(name = "confab.cluster.name", defaultValue = "confab") String name,
                           @ConfigProperty(name = "confab.cluster.member-timeout", defaultValue = "PT10S") Duration memberTimeout) {
        this.members = Arrays.stream(members.orElse("").split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
        this.port = port;
        this.bindAddress = bindAddress;
        this.name = name;
        this.memberTimeout = memberTimeout;
        for (String member : this.members) {
            if (!member.matches("[^:\\s]+:\\d{1,5}")) {
                throw new IllegalStateException("confab.cluster.members: '" + member + "' is not host:port");
            }
        }
        if (clustered() && (port < 1 || port > 65535)) {
            throw new IllegalStateException("confab.cluster.port: " + port + " is not a port");
        }
    }

    /** Whether this node is one of several. */
    public boolean clustered() {
        return !members.isEmpty();
    }

    /** Every member's cluster address (host:port), this node's own among them or not. */
    public List<String> members() {
        return members;
    }

    /** This node's cluster port. */
    public int port() {
        return port;
    }

    /** The one local address the cluster port binds to (and that the others reach this node at). */
    public String bindAddress() {
        return bindAddress;
    }

    /** Members join only a cluster of the same name. */
    public String name() {
        return name;
    }

    /** How long a member may be silent before the others take it to be gone. */
    public Duration memberTimeout() {
        return memberTimeout;
    }
}
