package dev.confab.signaling;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;

import java.util.logging.Logger;

/**
 * Sets the container's idle timeout for every WebSocket session before the first one opens.
 *
 * <p>Liveness is the {@link Heartbeat}'s job (pings every second, drop after 3 s), so this is only a backstop that
 * never fires while the heartbeat runs. It must be positive from a session's creation on: Tyrus re-arms its idle
 * timer on every frame, and with a zero timeout each re-arm is a task due at once (a thread wake-up per frame);
 * changing the timeout from zero to positive later, in {@code @OnOpen}, races with such a task, which then closes
 * the new session. Both were seen under the benchmark's load.
 */
@WebListener
public class WebSocketIdleBackstop implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(WebSocketIdleBackstop.class.getName());

    private static final long IDLE_BACKSTOP_MILLIS = 10 * 60 * 1000;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServerContainer container = (ServerContainer) event.getServletContext().getAttribute(ServerContainer.class.getName());
        if (container == null) {
            LOG.warning("No WebSocket container in this servlet context: the idle backstop is not set");
            return;
        }
        container.setDefaultMaxSessionIdleTimeout(IDLE_BACKSTOP_MILLIS);
    }
}
