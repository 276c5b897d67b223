package dev.confab.chat;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import dev.confab.store.Collections;
import dev.confab.store.Store;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit for chat: messages posted by any meeting wait here while the previous batch is being written, then
 * go to the store together in one {@code insertMany}. A message's stage completes once the store has acknowledged
 * it — the same promise as an insert of its own (the store's write concern, and for the embedded store its
 * commit), only shared by everything that arrived meanwhile. Nothing waits on a timer: a lone message is written
 * at once, and batches grow only as far as the store is slower than the chat.
 *
 * <p>Why the driver and not JNoSQL's template: the template inserts one entity per round trip, and converts each
 * through a CDI lookup; the hot path of chat is this one write. The documents have exactly the fields JNoSQL gives
 * {@link ChatMessage} ({@code _id} for the id, the other components by name), so the repository reads them back
 * as its own.
 */
@ApplicationScoped
public class ChatWriter {

    private static final Logger LOG = Logger.getLogger(ChatWriter.class.getName());
    /** The most messages one insert carries: a bound on the request's size (each message is at most ~8 KiB). */
    static final int MAX_BATCH = 256;
    private static final InsertManyOptions UNORDERED = new InsertManyOptions().ordered(false);

    private record Pending(ChatMessage message, CompletableFuture<Boolean> stored) {
    }

    private final Store store;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread writer;

    @Resource
    private ManagedThreadFactory threadFactory;

    protected ChatWriter() {
        this(null);
    }

    @Inject
    public ChatWriter(Store store) {
        this.store = store;
    }

    @PostConstruct
    void start() {
        start(threadFactory);
    }

    void start(ThreadFactory factory) {
        MongoCollection<Document> chats = store.database().getCollection(Collections.CHATS);
        running = true;
        writer = factory.newThread(() -> writeUntilStopped(chats));
        writer.setName("confab-chat-writer");
        writer.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        writer.interrupt();
    }

    /**
     * Queues the message for the next batch. The stage completes with true once it is stored, false if a message
     * with its id was stored already (the same re-send taken by another node), or exceptionally if the store
     * refused it otherwise or the server is stopping.
     */
    public CompletionStage<Boolean> store(ChatMessage message) {
        CompletableFuture<Boolean> stored = new CompletableFuture<>();
        if (!running) {
            stored.completeExceptionally(new IllegalStateException("the server is stopping"));
            return stored;
        }
        queue.add(new Pending(message, stored));
        return stored;
    }

    private void writeUntilStopped(MongoCollection<Document> chats) {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException stopping) {
                break;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            try {
                write(chats, batch);
            } catch (RuntimeException | Error unexpected) {
                // the writer must outlive any one batch: a message whose stage never completes holds its
                // meeting's lane, and every join and chat of that meeting behind it
                LOG.log(Level.SEVERE, "Storing " + batch.size() + " chat messages failed", unexpected);
                batch.forEach(pending -> pending.stored().completeExceptionally(unexpected));
            }
            batch.clear();
        }
        IllegalStateException stopping = new IllegalStateException("the server is stopping");
        queue.forEach(pending -> pending.stored().completeExceptionally(stopping));
    }

    /** One round trip for the whole batch; each message learns its own outcome. */
    private static void write(MongoCollection<Document> chats, List<Pending> batch) {
        List<Document> documents = new ArrayList<>(batch.size());
        batch.forEach(pending -> documents.add(document(pending.message())));
        Set<Integer> taken = new HashSet<>();
        try {
            chats.insertMany(documents, UNORDERED);
        } catch (MongoBulkWriteException refused) {
            if (refused.getWriteConcernError() != null) { // written, but not as durably as promised
                batch.forEach(pending -> pending.stored().completeExceptionally(refused));
                return;
            }
            for (BulkWriteError error : refused.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    batch.get(error.getIndex()).stored().completeExceptionally(refused);
                }
                taken.add(error.getIndex());
            }
        } catch (RuntimeException failed) { // the store is unreachable, or the server is stopping
            LOG.log(Level.WARNING, "Storing " + batch.size() + " chat messages failed", failed);
            batch.forEach(pending -> pending.stored().completeExceptionally(failed));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).stored().complete(!taken.contains(i)); // no-op for those completed exceptionally above
        }
    }

    /** The message as JNoSQL stores a {@link ChatMessage}. */
    static Document document(ChatMessage message) {
        return new Document("_id", message.id())
                .append("meetingCode", message.meetingCode())
                .append("from", message.from())
                .append("fromName", message.fromName())
                .append("to", message.to())
                .append("text", message.text())
                .append("at", message.at())
                .append("visibleTo", message.visibleTo())
                .append("clientId", message.clientId());
    }
}
