package dev.confab.signaling;

import dev.confab.platform.TyrusIdleTimers;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /ws/meetings/{code}}: signalling and chat for one meeting (docs/protocol.md). A thin adapter: the
 * container calls it, {@link MessageRouter} and {@link SignalingService} do the work. {@link HandshakeGuard} has
 * vetted the handshake (origin, code, connection caps) before this endpoint sees it.
 */
@ServerEndpoint(value = "/ws/meetings/{code}", configurator = HandshakeGuard.Configurator.class)
public class MeetingSocket {

    /**
     * Larger messages close the socket with 1009. Tyrus (Payara) enforces it from {@code @OnMessage} before it
     * buffers a message. Undertow 2.3.23 (WildFly 39) takes the limit but lets text past it (UNDERTOW-2770), so
     * {@link #text} checks again: the client still gets 1009, though WildFly has buffered the whole message first.
     */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private static final Logger LOG = Logger.getLogger(MeetingSocket.class.getName());
    private static final String CONNECTION = Connection.class.getName();

    // field injection: the container creates endpoints through their no-argument constructor
    @Inject
    SignalingService signaling;

    @Inject
    MessageRouter router;

    @Inject
    TyrusIdleTimers tyrusIdleTimers;

    @OnOpen
    public void open(Session session, @PathParam("code") String code) {
        tyrusIdleTimers.adopt(session); // Payara only; the idle timeout itself is set container-wide: WebSocketIdleBackstop
        String address = HandshakeGuard.clientAddress(session.getUserProperties());
        session.getUserProperties().put(CONNECTION, signaling.opened(session, code, address));
    }

    @OnMessage(maxMessageSize = MAX_MESSAGE_BYTES)
    public void text(String text, Session session) {
        Connection connection = connection(session);
        signaling.seen(connection); // any frame is a sign of life, whatever it holds
        if (exceedsLimit(text)) {
            connection.close(CloseCodes.TOO_BIG, "Message too big");
            return;
        }
        try {
            router.receive(connection, text);
        } catch (Throwable e) { // whatever it was, it must not wedge this socket or reach the container
            LOG.log(Level.WARNING, "A message broke its handler; closing that socket with 1011", e);
            connection.abort(CloseCodes.INTERNAL_ERROR, "Server error");
        }
    }

    /** More than {@link #MAX_MESSAGE_BYTES} in UTF-8 (counted only when the length in chars leaves a doubt). */
    static boolean exceedsLimit(String text) {
        if (text.length() <= MAX_MESSAGE_BYTES / 3) {
            return false; // at most 3 UTF-8 bytes per UTF-16 char
        }
        return text.length() > MAX_MESSAGE_BYTES || text.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES;
    }

    /** The protocol is JSON text only: a binary frame closes with 1003 (cannot accept this kind of data). */
    @OnMessage(maxMessageSize = MAX_MESSAGE_BYTES)
    public void binary(ByteBuffer data, Session session) {
        connection(session).close(CloseCodes.UNSUPPORTED_DATA, "Binary frames are not accepted");
    }

    @OnMessage
    public void pong(PongMessage pong, Session session) {
        signaling.seen(connection(session));
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        Connection connection = connection(session);
        if (connection != null) {
            signaling.closed(connection, reason.getCloseCode().getCode());
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        // the container closes the socket after this; @OnClose does the bookkeeping
        LOG.log(Level.FINE, "WebSocket error on " + session.getId(), failure);
    }

    private static Connection connection(Session session) {
        return (Connection) session.getUserProperties().get(CONNECTION);
    }
}
