package dev.confab.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.map.IMap;
import dev.confab.sfu.NodeLocal;
import dev.confab.sfu.Sfu;
import dev.confab.sfu.SfuEvent;
import dev.confab.sfu.SfuSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The {@link Sfu} of a clustered node: one node drives each meeting's SFU room (the one that opened it), and every
 * request for that meeting, from whichever node its participant is on, is carried out there (through that node's
 * own grid topic, {@link ClusterInbox} on the other end; in order per sending node). What the SFU answers comes
 * back through the meetings' sockets, which reach every node. Which node drives which room is a grid map; when
 * that node dies, the oldest member left adopts its rooms ({@link #takeOverFrom}).
 */
@ApplicationScoped
@Typed(GridSfu.class)
public class GridSfu implements Sfu {

    private static final Logger LOG = Logger.getLogger(GridSfu.class.getName());
    static final String DRIVERS = "confab-sfu-drivers";
    private static final String TOPIC_PREFIX = "confab-sfu-";
    /** A bound on the lock of a node that hangs while it opens a room (the SFU's own timeout is shorter). */
    private static final long LOCK_LEASE_SECONDS = 30;

    private final Grid grid;
    private final Sfu here;
    private final SfuSettings settings;
    private final Event<SfuEvent> events;

    protected GridSfu() {
        this(null, null, null, null);
    }

    @Inject
    public GridSfu(Grid grid, @NodeLocal Sfu here, SfuSettings settings, Event<SfuEvent> events) {
        this.grid = grid;
        this.here = here;
        this.settings = settings;
        this.events = events;
    }

    /** The grid topic that carries SFU requests to {@code node}. */
    static String inboxName(String node) {
        return TOPIC_PREFIX + node;
    }

    private IMap<String, String> drivers() {
        return grid.member().getMap(DRIVERS);
    }

    @Override
    public boolean isConfigured() {
        return here.isConfigured();
    }

    /** Opens the room on this node unless a live node drives it already; a lost node's room is adopted here. */
    @Override
    public CompletionStage<Void> openRoom(String meetingCode) {
        IMap<String, String> drivers = drivers();
        drivers.lock(meetingCode, LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
        try {
            String driver = drivers.get(meetingCode);
            if (driver != null && alive(driver)) {
                return CompletableFuture.completedFuture(null);
            }
            if (driver != null) { // its node died and nobody took the room over yet
                adoptHere(drivers, meetingCode);
            } else {
                here.openRoom(meetingCode).toCompletableFuture()
                        .get(settings.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
                drivers.set(meetingCode, grid.node());
            }
            return CompletableFuture.completedFuture(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        } catch (ExecutionException e) {
            return CompletableFuture.failedFuture(e.getCause());
        } catch (TimeoutException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            drivers.unlock(meetingCode);
        }
    }

    /** Only ever this node's own business ({@link #takeOverFrom}). */
    @Override
    public void adopt(String meetingCode) {
        here.adopt(meetingCode);
    }

    @Override
    public void closeRoom(String meetingCode) {
        String driver = drivers().remove(meetingCode);
        if (driver != null) {
            to(driver, new SfuCommand.Close(meetingCode));
        }
    }

    @Override
    public void publish(String meetingCode, String participantId, Source source, String session, String offerSdp) {
        route(meetingCode, participantId, "publish",
                new SfuCommand.Publish(meetingCode, participantId, source, session, offerSdp));
    }

    @Override
    public void unpublish(String meetingCode, String participantId, Source source) {
        route(meetingCode, participantId, "unpublish", new SfuCommand.Unpublish(meetingCode, participantId, source));
    }

    @Override
    public void subscribe(String meetingCode, String participantId, String session) {
        route(meetingCode, participantId, "subscribe", new SfuCommand.Subscribe(meetingCode, participantId, session));
    }

    @Override
    public void answer(String meetingCode, String participantId, String answerSdp) {
        route(meetingCode, participantId, "answer", new SfuCommand.Answer(meetingCode, participantId, answerSdp));
    }

    @Override
    public void candidate(String meetingCode, String participantId, Direction direction, JsonObject candidate) {
        route(meetingCode, participantId, null,
                new SfuCommand.Candidate(meetingCode, participantId, direction, candidate.toString()));
    }

    @Override
    public void preferLayer(String meetingCode, String participantId, String fromId, int layer) {
        route(meetingCode, participantId, null, new SfuCommand.Layer(meetingCode, participantId, fromId, layer));
    }

    @Override
    public void leave(String meetingCode, String participantId) {
        route(meetingCode, participantId, null, new SfuCommand.Leave(meetingCode, participantId));
    }

    @Override
    public void kick(String meetingCode, String participantId) {
        route(meetingCode, participantId, null, new SfuCommand.Kick(meetingCode, participantId));
    }

    @Override
    public void muteAudio(String meetingCode, String participantId, boolean muted) {
        route(meetingCode, participantId, null, new SfuCommand.Mute(meetingCode, participantId, muted));
    }

    /**
     * Called on the oldest member when {@code lost} has left the cluster: this node drives on every room that node
     * drove. Under each meeting's lock, so that a join opening the room at the same moment does not open a second.
     */
    void takeOverFrom(String lost) {
        IMap<String, String> drivers = drivers();
        List<String> codes = drivers.entrySet().stream().filter(e -> lost.equals(e.getValue()))
                .map(Map.Entry::getKey).toList();
        for (String code : codes) {
            drivers.lock(code, LOCK_LEASE_SECONDS, TimeUnit.SECONDS);
            try {
                if (lost.equals(drivers.get(code))) {
                    adoptHere(drivers, code);
                }
            } finally {
                drivers.unlock(code);
            }
        }
        if (!codes.isEmpty()) {
            LOG.info(() -> "Took over " + codes.size() + " SFU room(s) of lost node " + lost);
        }
        grid.member().getTopic(inboxName(lost)).destroy();
    }

    /** Under the meeting's lock: this node drives the room on from now. */
    private void adoptHere(IMap<String, String> drivers, String meetingCode) {
        here.adopt(meetingCode); // queued in the meeting's SFU lane before any request routed here once it is set
        drivers.set(meetingCode, grid.node());
    }

    /** The request goes to the node that drives the meeting's room; with none, {@code ref} (if any) is refused. */
    private void route(String meetingCode, String participantId, String ref, SfuCommand command) {
        String driver = drivers().get(meetingCode);
        if (driver == null) {
            if (ref != null) {
                events.fire(new SfuEvent.Refused(meetingCode, participantId, ref, "This meeting is not on the SFU"));
            }
            return;
        }
        to(driver, command);
    }

    private void to(String node, SfuCommand command) {
        if (node.equals(grid.node())) {
            command.carryOut(here);
        } else {
            grid.member().<SfuCommand>getTopic(inboxName(node)).publish(command);
        }
    }

    private boolean alive(String node) {
        for (Member member : grid.member().getCluster().getMembers()) {
            if (member.getUuid().toString().equals(node)) {
                return true;
            }
        }
        return false;
    }
}
