package dev.confab.signaling;

import java.io.IOException;
import java.util.function.Consumer;

/** What an {@link Outbox} needs from a socket; kept small so the queue can be tested without a server. */
interface Transport {

    /** Starts sending; {@code done} gets null on success or the failure, possibly before this returns. */
    void sendText(String text, Consumer<Throwable> done);

    void sendPing() throws IOException;

    /** Closes the socket; must not call back into Confab on the calling thread. */
    void close(int code, String reason);
}
