package dev.confab.cluster;

import dev.confab.sfu.NodeLocal;
import dev.confab.sfu.Sfu;
import dev.confab.signaling.LocalSockets;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's end of {@link GridSockets} and {@link GridSfu}: the grid topics named after the node, whose commands
 * it carries out on the sockets it holds and on the SFU rooms it drives. Opened at deployment, before the node
 * takes a request, so that nothing sent to a socket that has just joined here can find the topic without its
 * listener.
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
     * container's managed executors (a grace period, a socket's close) failed on Payara ("module disabled"). So each
     * command runs through a contextual proxy made now, with this application's context; all but a plain send,
     * the relay's hot path, which only queues text on sockets (a socket it overflows is closed through the
     * signalling's own contextual closer).
     */
    void open() {
        listen(GridSockets.inboxName(here.node()), (SocketCommand command) -> command.carryOut(here),
                command -> command instanceof SocketCommand.Send, String::valueOf);
        // an SFU request is named by its kind only: it carries SDP
        listen(GridSfu.inboxName(here.node()), (SfuCommand command) -> command.carryOut(sfu), command -> false,
                command -> "an SFU request: " + command.getClass().getSimpleName());
        open = true;
    }

    /** Whether other nodes' commands reach this node's sockets yet. */
    boolean isOpen() {
        return open;
    }

    /**
     * Carries out each command published to {@code topic} (on the topic's event thread: one publisher's commands in
     * publication order), in this application's context unless it {@code needsNoContext}; one that fails is logged
     * and does not stop the inbox.
     */
    @SuppressWarnings("unchecked")
    private <T> void listen(String topic, Consumer<T> carryOut, Predicate<T> needsNoContext,
                            Function<T, String> described) {
        Consumer<T> guarded = command -> {
            try {
                carryOut.accept(command);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Could not carry out " + described.apply(command), e);
            }
        };
        Consumer<T> inContext = contexts.createContextualProxy(guarded, Consumer.class);
        grid.member().<T>getTopic(topic).addMessageListener(message -> {
            T command = message.getMessageObject();
            if (needsNoContext.test(command)) {
                guarded.accept(command);
            } else {
                inContext.accept(command);
            }
        });
    }
}
