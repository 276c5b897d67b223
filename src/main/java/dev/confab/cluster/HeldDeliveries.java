package dev.confab.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * What a room action says to sockets, held until the room's new state is in the grid. On one node a room changes
 * in place, so whoever hears of a change can act on it at once; in the grid the action works on a copy, and a
 * newcomer answered with its {@code welcome} before the copy was written back could be signalled by someone on
 * another node who did not find its seat yet. Per thread: an action runs on its caller's thread.
 */
final class HeldDeliveries {

    private final ThreadLocal<List<Runnable>> held = new ThreadLocal<>();

    /** From now on this thread's deliveries wait. */
    void hold() {
        held.set(new ArrayList<>());
    }

    /** Holds the delivery if this thread is in a room action; false: deliver it now. */
    boolean offer(Runnable delivery) {
        List<Runnable> waiting = held.get();
        if (waiting == null) {
            return false;
        }
        waiting.add(delivery);
        return true;
    }

    /** The room is stored: what was said goes out, in order. */
    void release() {
        List<Runnable> waiting = held.get();
        held.remove();
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
    }

    /** The action failed and the room was not changed: what it said is not said. */
    void drop() {
        held.remove();
    }
}
