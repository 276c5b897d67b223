package dev.confab.platform;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.websocket.Session;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives each socket's Tyrus idle timer a plain scheduled executor instead of the container's managed one.
 *
 * <p>Why: the Tyrus bundled with Payara (2.1.5.payara-p2) re-arms a session's idle-timeout task on every frame in
 * or out, on {@code java:comp/DefaultManagedScheduledExecutorService}. Each {@code schedule()} there captures the
 * EE context, which runs a {@code ServiceLoader} scan of Payara's whole API class path. Under signalling load that
 * was the largest single cost on the server (docs/benchmarks.md has the profile). There is no setting for it:
 * a zero idle timeout still re-arms, and turning context capture off does not skip the scan.
 *
 * <p>The timer only has to close an idle session, which needs no EE context, so a plain executor (threads from the
 * container's {@link ManagedThreadFactory}, context captured once) is enough. Liveness itself is the
 * Heartbeat's job. If a Tyrus version has no such field, sockets keep the container's executor and a
 * warning is logged once: slower, never broken.
 *
 * <p>Payara only. On any other WebSocket implementation (WildFly's Undertow) {@link #adopt} does nothing and logs
 * nothing: their sessions are told apart by class, once per class.
 */
@ApplicationScoped
public class TyrusIdleTimers {

    private static final String TYRUS_PACKAGE = "org.glassfish.tyrus.";

    private static final Logger LOG = Logger.getLogger(TyrusIdleTimers.class.getName());

    /** Per session class: the field holding its idle-timer executor, or empty when there is none to replace. */
    private final Map<Class<?>, Optional<Field>> executorFields = new ConcurrentHashMap<>();

    @Resource
    private ManagedThreadFactory threadFactory;

    private ScheduledThreadPoolExecutor executor;

    @PostConstruct
    void start() {
        executor = new ScheduledThreadPoolExecutor(1, threadFactory);
        executor.setRemoveOnCancelPolicy(true); // each frame cancels the previous timer: do not let them pile up
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** Moves this session's idle timer to the plain executor (before it sees any message). */
    public void adopt(Session session) {
        executorFields.computeIfAbsent(session.getClass(), TyrusIdleTimers::executorField).ifPresent(field -> {
            try {
                field.set(session, executor);
            } catch (IllegalAccessException e) {
                LOG.log(Level.WARNING, "Cannot replace the WebSocket idle-timer executor", e);
            }
        });
    }

    private static Optional<Field> executorField(Class<?> sessionClass) {
        if (!sessionClass.getName().startsWith(TYRUS_PACKAGE)) {
            return Optional.empty(); // not Tyrus: nothing to work around
        }
        for (Class<?> c = sessionClass; c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getType() == ScheduledExecutorService.class && field.getName().equals("service")) {
                    try {
                        field.setAccessible(true);
                        return Optional.of(field);
                    } catch (InaccessibleObjectException | SecurityException e) {
                        LOG.log(Level.WARNING, "Cannot reach the WebSocket idle-timer executor", e);
                        return Optional.empty();
                    }
                }
            }
        }
        LOG.warning(() -> sessionClass.getName() + " has no idle-timer executor field: WebSocket frames keep the "
                + "container's managed executor (slower under load, still correct)");
        return Optional.empty();
    }
}
