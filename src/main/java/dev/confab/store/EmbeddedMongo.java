package dev.confab.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The out-of-the-box store: mongo-java-server with its H2 (MVStore) backend, listening on loopback only.
 * MVStore commits in the background; a JVM shutdown hook closes it so a normal stop (SIGTERM) loses nothing,
 * because Payara does not reliably run {@code @PreDestroy} on SIGTERM.
 */
final class EmbeddedMongo implements AutoCloseable {

    /** How long MVStore may hold writes in memory before committing them to disk. */
    private static final int AUTO_COMMIT_DELAY_MS = 100;

    private final MVStore mvStore;
    private final MongoServer server;
    private final InetSocketAddress address;
    private final Path file;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedMongo(MVStore mvStore, MongoServer server, InetSocketAddress address, Path file) {
        this.mvStore = mvStore;
        this.server = server;
        this.address = address;
        this.file = file;
        this.shutdownHook = new Thread(this::close, "confab-embedded-store-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    static EmbeddedMongo start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the data directory " + dataDir.toAbsolutePath(), e);
        }
        Path file = dataDir.toAbsolutePath().resolve("confab.mv.db");
        MVStore mvStore = new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitBufferSize(1024)
                .compress()
                .open();
        mvStore.setAutoCommitDelay(AUTO_COMMIT_DELAY_MS);
        MongoServer server = new MongoServer(new H2Backend(mvStore));
        server.bind("127.0.0.1", port);
        return new EmbeddedMongo(mvStore, server, server.getLocalAddress(), file);
    }

    String connectionString() {
        return "mongodb://127.0.0.1:" + address.getPort();
    }

    String address() {
        return "127.0.0.1:" + address.getPort();
    }

    Path file() {
        return file;
    }

    /** Writes every change so far to the file and forces it to disk: it survives a kill -9 (or a power cut). */
    void commit() {
        mvStore.commit();
        mvStore.sync();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdownNow();
        mvStore.close();
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the JVM is stopping; the hook runs (or ran) close() itself
            }
        }
    }
}
