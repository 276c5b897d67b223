package dev.confab.it.support;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Stands between a page and Confab's meeting socket, to make the page face what a real server does only under
 * conditions a browser test cannot set up on cue: it can answer the page's next {@code chat} as an overloaded
 * server does ({@code busy} with a retry hint and the message's client id) instead of passing it on, and put
 * frames of its own in front of the page (what a hostile participant's relayed signals look like). Everything
 * else goes through both ways.
 */
public final class SocketTap {

    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger chatsPassed = new AtomicInteger();
    private final List<WebSocketRoute> pages = new ArrayList<>();
    private volatile long refuseNextChatMs = -1;

    private SocketTap() {
    }

    /** Call before the page opens its meeting socket. */
    public static SocketTap install(Page page) {
        SocketTap tap = new SocketTap();
        page.routeWebSocket(Pattern.compile(".*/ws/meetings/.*"), socket -> {
            synchronized (tap.pages) {
                tap.pages.add(socket);
            }
            WebSocketRoute server = socket.connectToServer();
            socket.onMessage(frame -> {
                String text = frame.text();
                if (text == null) {
                    server.send(frame.binary());
                    return;
                }
                JsonObject message = Json.createReader(new StringReader(text)).readObject();
                if ("chat".equals(message.getString("type", null))) {
                    long retryAfterMs = tap.refuseNextChatMs;
                    if (retryAfterMs >= 0) {
                        tap.refuseNextChatMs = -1;
                        tap.refused.incrementAndGet();
                        socket.send(Json.createObjectBuilder().add("type", "error").add("code", "busy")
                                .add("message", "The server is busy").add("ref", "chat")
                                .add("retryAfterMs", retryAfterMs).add("clientId", message.getString("clientId"))
                                .build().toString());
                        return;
                    }
                    tap.chatsPassed.incrementAndGet();
                }
                server.send(text);
            });
        });
        return tap;
    }

    /** The page's next chat is answered {@code busy} with this retry hint, and not passed on. */
    public void refuseNextChat(long retryAfterMs) {
        refuseNextChatMs = retryAfterMs;
    }

    /** Hands {@code json} to the page as if the server had sent it. */
    public void inject(String json) {
        synchronized (pages) {
            pages.get(pages.size() - 1).send(json);
        }
    }

    public int refused() {
        return refused.get();
    }

    /** Chat messages the page sent that went on to the server. */
    public int chatsPassed() {
        return chatsPassed.get();
    }
}
