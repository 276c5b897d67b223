package dev.confab.signaling;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@link Transport} over a Jakarta WebSocket session, using its asynchronous remote. */
final class SessionTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(SessionTransport.class.getName());

    private final Session session;
    private final Executor closer;

    SessionTransport(Session session, Executor closer) {
        this.session = session;
        this.closer = closer;
    }

    @Override
    public void sendText(String text, Consumer<Throwable> done) {
        try {
            session.getAsyncRemote().sendText(text, result -> done.accept(result.isOK() ? null : result.getException()));
        } catch (RuntimeException e) {
            done.accept(closedMeanwhile(e));
        }
    }

    @Override
    public void sendPing() throws IOException {
        try {
            session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
        } catch (RuntimeException e) {
            Throwable failure = closedMeanwhile(e);
            if (failure instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** A send refused because the session closed meanwhile is the peer being gone, not a server fault. */
    private Throwable closedMeanwhile(RuntimeException e) {
        return session.isOpen() ? e : new IOException("The WebSocket closed meanwhile", e);
    }

    @Override
    public void close(int code, String reason) {
        // on another thread: the container may call @OnClose from inside close(), and the caller may hold a room lock
        closer.execute(() -> {
            if (!session.isOpen()) {
                return;
            }
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            } catch (IOException e) {
                LOG.log(Level.FINE, "Closing a socket failed; it is gone anyway", e);
            } catch (Throwable e) { // the container broke while closing: that socket only
                LOG.log(Level.WARNING, "Closing a WebSocket failed unexpectedly", e);
            }
        });
    }
}
