package dev.confab.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.confab.token.VerifiedTokenCache;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.logging.Logger;

/**
 * This node's Hazelcast member, started by the WAR itself on every server (docs/architecture.md says why not
 * Payara's own grid). Members are found only through the configured list (no multicast, no auto-detection), and
 * the member port binds to the configured address alone.
 */
@ApplicationScoped
public class Grid {

    private static final Logger LOG = Logger.getLogger(Grid.class.getName());

    private final ClusterSettings settings;
    private final VerifiedTokenCache tokenCache;
    private HazelcastInstance member;

    protected Grid() {
        this(null, null);
    }

    @Inject
    public Grid(ClusterSettings settings, VerifiedTokenCache tokenCache) {
        this.settings = settings;
        this.tokenCache = tokenCache;
    }

    /** The member, started on first use (only ever on a clustered node). */
    public synchronized HazelcastInstance member() {
        if (member == null) {
            member = Hazelcast.newHazelcastInstance(config());
            LOG.info(() -> "Joined cluster '" + settings.name() + "' as " + member.getCluster().getLocalMember());
        }
        return member;
    }

    /** This node's name in the cluster (its member id). */
    public String node() {
        return member().getCluster().getLocalMember().getUuid().toString();
    }

    private Config config() {
        Config config = new Config();
        config.setClusterName(settings.name());
        config.setInstanceName("confab-" + settings.bindAddress() + "-" + settings.port());
        config.setClassLoader(Grid.class.getClassLoader()); // the WAR's classes travel in the maps and topics
        config.setProperty("hazelcast.logging.type", "jdk");
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false"); // the deployment's end shuts it down
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds",
                String.valueOf(Math.max(2, settings.memberTimeout().toSeconds())));
        config.getJetConfig().setEnabled(false);
        GridSerializers.register(config.getSerializationConfig());
        // what tasks run on this member by other members find here (GridTokenRevocations)
        config.getUserContext().put(GridTokenRevocations.CACHE, tokenCache);
        // The relay reads one seat per signal: from this member's own copy when it holds the seat's partition or its
        // backup (with two nodes, always), without a round trip. Backups are synchronous, so a seat written before
        // anyone was told of it (HeldDeliveries) is in both copies by then. Rooms are read strictly (their actions
        // write back what they read; a backup being rebuilt after a member change must not be the source).
        config.getMapConfig(NodeTopology.SEATS).setReadBackupData(true);

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(false);
        network.setPublicAddress(settings.bindAddress() + ":" + settings.port());
        network.getInterfaces().setEnabled(true).addInterface(settings.bindAddress());
        network.getRestApiConfig().setEnabled(false);
        network.getMemcacheProtocolConfig().setEnabled(false);
        JoinConfig join = network.getJoin();
        join.getAutoDetectionConfig().setEnabled(false);
        join.getMulticastConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        return config;
    }

    @PreDestroy
    synchronized void stop() {
        if (member != null) {
            member.shutdown();
            member = null;
        }
    }
}
