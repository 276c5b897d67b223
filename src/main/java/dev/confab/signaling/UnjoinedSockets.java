package dev.confab.signaling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts sockets that are open but have not joined, per client address and in all: an anonymous socket costs
 * memory and a heartbeat slot while proving nothing, so a client may hold only a few
 * ({@code confab.ws.unjoined.per-address}) and the server only so many ({@code confab.ws.unjoined.max}).
 * {@link HandshakeGuard} refuses handshakes over either cap; {@link #open} settles races between handshakes.
 */
@ApplicationScoped
public class UnjoinedSockets {

    /** Which cap a new socket would pass. */
    enum Refusal { SERVER_FULL, ADDRESS_FULL }

    private final SignalingSettings settings;
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    protected UnjoinedSockets() {
        this(null);
    }

    @Inject
    public UnjoinedSockets(SignalingSettings settings) {
        this.settings = settings;
    }

    /** Why a new socket from {@code address} would be refused now, or null when it is welcome. */
    Refusal refusal(String address) {
        if (total.get() >= settings.unjoinedMax()) {
            return Refusal.SERVER_FULL;
        }
        AtomicInteger mine = perAddress.get(address);
        return mine != null && mine.get() >= settings.unjoinedPerAddress() ? Refusal.ADDRESS_FULL : null;
    }

    /** Counts a new socket; false (and not counted) when it is over a cap. */
    boolean open(String address) {
        if (total.incrementAndGet() > settings.unjoinedMax()) {
            total.decrementAndGet();
            return false;
        }
        boolean[] admitted = {true};
        perAddress.compute(address, (a, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() >= settings.unjoinedPerAddress()) {
                admitted[0] = false;
            } else {
                c.incrementAndGet();
            }
            return c.get() == 0 ? null : c;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
        }
        return admitted[0];
    }

    /** The socket joined or closed: it no longer counts. */
    void release(String address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    int total() {
        return total.get();
    }
}
