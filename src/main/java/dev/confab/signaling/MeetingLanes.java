package dev.confab.signaling;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The work of a meeting that needs the store — joining (token, meeting, history) and chat (store, then deliver),
 * and the host actions that change who may be there — runs here, one meeting's tasks strictly one after the
 * other, off the container's socket threads, on a small pool shared by all meetings (each meeting takes one task
 * per turn, so a busy one does not starve the rest).
 *
 * <p>Why a lane and not the room's lock: the store I/O happens outside the room lock, yet a joiner still finds
 * each chat message either in its history or live, because history reads and chat inserts of one meeting never
 * overlap. And why off the socket threads: signals and pongs keep moving however much chat there is.
 *
 * <p>Load shedding: when {@link Priority#SHEDDABLE} work (chat) has waited longer than the target, or too much of
 * it is queued, new sheddable work is refused ({@link #submit} returns false) until the backlog is gone; the
 * caller answers {@code busy} with {@link #retryAfterMillis()}. {@link Priority#ESSENTIAL} work is never refused,
 * only slowed.
 */
@ApplicationScoped
public class MeetingLanes {

    private static final Logger LOG = Logger.getLogger(MeetingLanes.class.getName());

    enum Priority { ESSENTIAL, SHEDDABLE }

    /** A task's work: it may return at once with its stage unfinished; its lane waits for the stage, not a worker. */
    private record Task(Supplier<CompletionStage<?>> work, boolean sheddable, long queuedAtNanos) {
    }

    private static final CompletionStage<?> DONE = CompletableFuture.completedFuture(null);

    /**
     * One meeting's queue; {@code running} is true from the moment a turn of it is queued on a worker until that
     * turn's task has finished (its stage too).
     */
    private static final class Lane {
        final Queue<Task> tasks = new ArrayDeque<>(); // guarded by the lanes map's compute
        boolean running;
    }

    private final SignalingSettings settings;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger sheddablePending = new AtomicInteger();
    /** How long the last task to start had waited: the queue's delay as the workers see it. */
    private volatile long lastWaitNanos;
    /** Moving average of how long one sheddable task takes to run: with the queue's length, the wait ahead. */
    private volatile double sheddableNanos;
    private ThreadPoolExecutor workers;

    @Resource
    private ManagedThreadFactory threadFactory;

    protected MeetingLanes() {
        this(null);
    }

    @Inject
    public MeetingLanes(SignalingSettings settings) {
        this.settings = settings;
    }

    @PostConstruct
    void start() {
        start(threadFactory);
    }

    void start(ThreadFactory factory) {
        int threads = settings.laneWorkers();
        workers = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /**
     * Queues {@code work} after the meeting's earlier tasks. Sheddable work is refused (false, nothing queued)
     * while the server is behind; essential work is always queued (true).
     */
    boolean submit(String meetingCode, Priority priority, Runnable work) {
        return submitAsync(meetingCode, priority, () -> {
            work.run();
            return DONE;
        });
    }

    /**
     * Like {@link #submit}, for work that finishes later: the meeting's next task starts once the stage
     * {@code work} returns has completed, and no worker is held meanwhile (chat waits for the store's group commit
     * so). The stage's own outcome is the caller's to handle: here it only ends the turn.
     */
    boolean submitAsync(String meetingCode, Priority priority, Supplier<CompletionStage<?>> work) {
        boolean sheddable = priority == Priority.SHEDDABLE;
        if (sheddable) {
            if (isBehind()) {
                return false;
            }
            sheddablePending.incrementAndGet();
        }
        Task task = new Task(work, sheddable, System.nanoTime());
        lanes.compute(meetingCode, (code, lane) -> {
            Lane l = lane == null ? new Lane() : lane;
            l.tasks.add(task);
            if (!l.running) {
                l.running = true;
                workers.execute(() -> turn(code));
            }
            return l;
        });
        return true;
    }

    /**
     * True while sheddable work would wait longer than {@code confab.ws.shed-after} — as the queue's length times
     * the average task's time foretells it, or as the last task to start found it — or more of it is queued than
     * {@code confab.ws.shed-queue}: the server is past what it can carry. The foretold wait reacts as the queue
     * grows; the observed one alone would notice only once a task had already waited too long, by when many
     * more would be queued behind it.
     */
    boolean isBehind() {
        int pending = sheddablePending.get();
        long limit = settings.shedAfter().toNanos();
        return pending >= settings.shedQueue()
                || (pending > 0 && (lastWaitNanos > limit || expectedWaitNanos(pending) > limit));
    }

    private double expectedWaitNanos(int pending) {
        return pending * sheddableNanos / settings.laneWorkers();
    }

    /** Runs work on the lanes' workers, outside any lane: what a lane's stage continues on. */
    Executor executor() {
        return workers;
    }

    /** A hint for refused work: about how long the backlog takes to clear, with jitter so retries spread out. */
    long retryAfterMillis() {
        long wait = Math.max(lastWaitNanos, (long) expectedWaitNanos(sheddablePending.get()));
        long base = Math.max(500, TimeUnit.NANOSECONDS.toMillis(wait) * 2);
        return Math.min(5000, base) + ThreadLocalRandom.current().nextLong(500);
    }

    /**
     * Runs one task of the meeting's lane, then gives the worker back; the turn ends (the next one is queued if any
     * is left) once the task's stage has completed.
     */
    private void turn(String meetingCode) {
        Task[] next = new Task[1];
        lanes.compute(meetingCode, (code, lane) -> {
            next[0] = lane == null ? null : lane.tasks.poll();
            return lane;
        });
        Task task = next[0];
        if (task == null) {
            endTurn(meetingCode);
            return;
        }
        lastWaitNanos = System.nanoTime() - task.queuedAtNanos();
        if (task.sheddable()) {
            sheddablePending.decrementAndGet();
        }
        long started = System.nanoTime();
        CompletionStage<?> stage;
        try {
            stage = task.work().get();
        } catch (Throwable e) { // a task's own failure must not stop its meeting's lane
            LOG.log(Level.SEVERE, "A meeting task failed", e);
            stage = DONE;
        }
        if (task.sheddable()) { // the worker's time only: what the queue ahead costs the workers
            long took = System.nanoTime() - started;
            double average = sheddableNanos;
            sheddableNanos = average == 0 ? took : average * 0.9 + took * 0.1;
        }
        CompletableFuture<?> finished = stage.toCompletableFuture();
        if (finished.isDone()) {
            endTurn(meetingCode);
        } else {
            finished.whenComplete((result, failure) -> endTurn(meetingCode));
        }
    }

    private void endTurn(String meetingCode) {
        lanes.compute(meetingCode, (code, lane) -> {
            if (lane == null) {
                return null;
            }
            if (lane.tasks.isEmpty()) {
                lane.running = false;
                return null; // an idle meeting keeps nothing here
            }
            workers.execute(() -> turn(code));
            return lane;
        });
        if (sheddablePending.get() == 0 && workers.getQueue().isEmpty()) {
            lastWaitNanos = 0; // all caught up
        }
    }
}
