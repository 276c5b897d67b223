package dev.confab.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import dev.confab.signaling.SignalingService;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Starts a clustered node's grid member and its inbox at deployment (so it has joined before it takes a request)
 * and watches the others: when one is gone, the oldest member left adopts the SFU rooms it drove and hands its
 * seats to the grace period.
 */
@ApplicationScoped
public class NodeWatch {

    private static final Logger LOG = Logger.getLogger(NodeWatch.class.getName());

    private final ClusterSettings settings;
    private final Grid grid;
    private final SignalingService signaling;
    private final ClusterInbox inbox;
    private final GridSfu sfu;

    @Resource
    private ContextService contexts;

    protected NodeWatch() {
        this(null, null, null, null, null);
    }

    @Inject
    public NodeWatch(ClusterSettings settings, Grid grid, SignalingService signaling, ClusterInbox inbox, GridSfu sfu) {
        this.settings = settings;
        this.grid = grid;
        this.signaling = signaling;
        this.inbox = inbox;
        this.sfu = sfu;
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        if (!settings.clustered()) {
            return;
        }
        HazelcastInstance member = grid.member();
        inbox.open();
        // the grid's event thread has no EE context: run with this application's, captured now (see ClusterInbox)
        @SuppressWarnings("unchecked")
        Consumer<MembershipEvent> lost = contexts.createContextualProxy(
                (Consumer<MembershipEvent>) event -> lost(member, event), Consumer.class);
        LOG.info(() -> "Serving as a node of cluster '" + settings.name() + "': cluster of "
                + member.getCluster().getMembers().size() + " members");
        member.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                LOG.info(() -> "Cluster member joined: " + event.getMember() + "; cluster of " + event.getMembers().size()
                        + " members");
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                lost.accept(event);
            }
        });
    }

    private void lost(HazelcastInstance member, MembershipEvent event) {
        String node = event.getMember().getUuid().toString();
        LOG.warning(() -> "Cluster member gone: " + event.getMember() + "; cluster of " + event.getMembers().size()
                + " members");
        Member oldest = event.getMembers().iterator().next();
        if (!oldest.localMember()) {
            return;
        }
        try { // first the media: its participants' SFU connections must be driven on before anything else changes
            sfu.takeOverFrom(node);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not take over the SFU rooms of lost node " + node, e);
        }
        try {
            signaling.nodeLost(node);
            member.getTopic(GridSockets.inboxName(node)).destroy();
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not take over the seats of lost node " + node, e);
        }
    }
}
