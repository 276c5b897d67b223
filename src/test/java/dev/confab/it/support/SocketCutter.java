package dev.confab.it.support;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocketRoute;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Routes a page's meeting sockets through Playwright, so a test can cut them mid-call (both sides see the
 * connection close) and refuse new ones for a while: a network outage for that person only.
 */
public final class SocketCutter {

    private final List<WebSocketRoute> live = new ArrayList<>();
    private boolean down;
    private int connected;

    private SocketCutter() {
    }

    /** Call before the page opens its meeting socket. */
    public static SocketCutter install(Page page) {
        SocketCutter cutter = new SocketCutter();
        page.routeWebSocket(Pattern.compile(".*/ws/meetings/.*"), socket -> {
            if (cutter.down) {
                socket.close(); // the attempt fails: the client backs off and tries again
            } else {
                cutter.connected++;
                cutter.live.add(socket);
                cutter.live.add(socket.connectToServer());
            }
        });
        return cutter;
    }

    /** Closes the open sockets and refuses new ones until {@link #restore()}. */
    public void cut() {
        down = true;
        live.forEach(WebSocketRoute::close);
        live.clear();
    }

    public void restore() {
        down = false;
    }

    /** How many sockets reached the server so far. */
    public int connected() {
        return connected;
    }
}
