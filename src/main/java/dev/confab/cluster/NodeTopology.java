package dev.confab.cluster;

import dev.confab.sfu.NodeLocal;
import dev.confab.sfu.Sfu;
import dev.confab.sfu.SfuRoomRecords;
import dev.confab.signaling.LetIn;
import dev.confab.signaling.LocalRoomRegistry;
import dev.confab.signaling.LocalSockets;
import dev.confab.signaling.RoomRegistry;
import dev.confab.signaling.Sockets;
import dev.confab.throttle.LocalThrottles;
import dev.confab.throttle.Throttles;
import dev.confab.token.TokenRevocations;
import dev.confab.token.VerifiedTokenCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The one place that decides "one node or many": it produces the room registry, the delivery to sockets, the
 * throttles, the reach of a token revocation and the SFU, in this JVM's memory (and this node's own connection to
 * the SFU) for a single node, in the data grid for a cluster (where one node drives each meeting's SFU room and
 * records it for another to adopt).
 */
@ApplicationScoped
public class NodeTopology {

    /** The node name in every socket reference of a single node. */
    static final String SINGLE_NODE = "local";
    static final String ROOMS = "confab-rooms";
    static final String SEATS = "confab-seats";
    static final String THROTTLES = "confab-throttles";
    static final String SFU_ROOMS = "confab-sfu-rooms";

    private final ClusterSettings settings;
    private final Grid grid;
    private final HeldDeliveries held = new HeldDeliveries();

    protected NodeTopology() {
        this(null, null);
    }

    @Inject
    public NodeTopology(ClusterSettings settings, Grid grid) {
        this.settings = settings;
        this.grid = grid;
    }

    @Produces
    @Singleton
    @Typed(LocalSockets.class)
    LocalSockets localSockets(Event<LetIn> letIn) {
        return new LocalSockets(settings.clustered() ? grid.node() : SINGLE_NODE, letIn);
    }

    @Produces
    @Singleton
    Sockets sockets(LocalSockets here) {
        return settings.clustered() ? new GridSockets(grid.member(), here, held) : here;
    }

    @Produces
    @Singleton
    RoomRegistry rooms() {
        return settings.clustered()
                ? new GridRoomRegistry(grid.member().getMap(ROOMS), grid.member().getMap(SEATS), held)
                : new LocalRoomRegistry();
    }

    @Produces
    @Singleton
    Sfu sfu(@NodeLocal Sfu here, Instance<GridSfu> cluster) {
        return settings.clustered() ? cluster.get() : here;
    }

    @Produces
    @Singleton
    SfuRoomRecords sfuRooms() {
        return settings.clustered() ? new GridSfuRooms(grid.member().getMap(SFU_ROOMS)) : SfuRoomRecords.none();
    }

    @Produces
    @Singleton
    TokenRevocations tokenRevocations(VerifiedTokenCache cache) {
        return settings.clustered()
                ? new GridTokenRevocations(grid.member(), settings.memberTimeout())
                : cache::forget;
    }

    @Produces
    @Singleton
    Throttles throttles() {
        return settings.clustered() ? new GridThrottles(grid.member().getMap(THROTTLES)) : new LocalThrottles();
    }
}
