package dev.confab.cluster;

import dev.confab.sfu.NodeLocal;
import dev.confab.sfu.Sfu;
import dev.confab.signaling.LocalSockets;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's end of {@link GridSockets} and {@link GridSfu}: the grid topics named after the node, whose commands
 * it carries out on the sockets it holds and on the SFU rooms it drives. Opened at deployment, before the node takes a request, so that nothing sent to a socket
 * that has just joined here can find the topic without its listener.
 */
@ApplicationScoped
public class ClusterInbox {

    private static final Logger LOG = Logger.getLogger(ClusterInbox.class.getName());

    private final Grid grid;
    private final LocalSockets here;
    private final Sfu sfu;
    private volatile boolean open;

    @Resource
    private ContextService contexts;

    protected ClusterInbox() {
        this(null, null, null);
    }

    @Inject
    public ClusterInbox(Grid grid, LocalSockets here, @NodeLocal Sfu sfu) {
        this.grid = grid;
        this.here = here;
        this.sfu = sfu;
    }

    /**
     * Called at deployment. The grid calls back on its own threads, which carry no EE context: work they hand to the
     * container's managed executors (a socket's close, a grace period) failed on Payara ("module disabled"). So
     * each command runs through a contextual proxy made now, with this application's context.
     */
    @SuppressWarnings("unchecked")
    void open() {
        Consumer<SocketCommand> carryOut = contexts.createContextualProxy((Consumer<SocketCommand>) this::carryOut,
                Consumer.class);
        grid.member().<SocketCommand>getTopic(GridSockets.inboxName(here.node()))
                .addMessageListener(message -> carryOut.accept(message.getMessageObject()));
        Consumer<SfuCommand> drive = contexts.createContextualProxy((Consumer<SfuCommand>) this::drive, Consumer.class);
        grid.member().<SfuCommand>getTopic(GridSfu.inboxName(here.node()))
                .addMessageListener(message -> drive.accept(message.getMessageObject()));
        open = true;
    }

    /** Whether other nodes' commands reach this node's sockets yet. */
    boolean isOpen() {
        return open;
    }

    /** Another node's command (on the topic's event thread: one publisher's commands in publication order). */
    private void carryOut(SocketCommand command) {
        try {
            command.carryOut(here);
        } catch (RuntimeException e) { // one bad command must not stop this node's inbox
            LOG.log(Level.SEVERE, "Could not carry out " + command, e);
        }
    }

    /** Another node's request for an SFU room this node drives. */
    private void drive(SfuCommand command) {
        try {
            command.carryOut(sfu);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not carry out an SFU request: " + command.getClass().getSimpleName(), e);
        }
    }
}
