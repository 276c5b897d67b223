package dev.confab.store;

import com.mongodb.ConnectionString;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.bson.Document;
import org.eclipse.microprofile.config.Config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Owns the connection to MongoDB. With {@code jnosql.mongodb.url} or {@code jnosql.mongodb.host} set it talks to
 * that server; otherwise it starts the embedded, file-backed wire-compatible server first. Started eagerly at
 * deployment so the log says at once which store is in use and a broken store fails the deployment.
 */
@ApplicationScoped
public class Store {

    private static final Logger LOG = Logger.getLogger(Store.class.getName());

    private final Config config;
    private EmbeddedMongo embedded;
    private MongoClient client;
    private MongoDatabase database;
    private String description;

    /** For CDI's client proxy only. */
    protected Store() {
        this(null);
    }

    @Inject
    public Store(Config config) {
        this.config = config;
    }

    /** Forces creation at deployment (the bean is otherwise created lazily). */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        database();
    }

    public synchronized MongoDatabase database() {
        if (database == null) {
            open();
        }
        return database;
    }

    public synchronized MongoClient client() {
        database();
        return client;
    }

    public String description() {
        return description;
    }

    /**
     * Makes the writes acknowledged so far durable now. Called after security decisions (logout, revocation,
     * removal, the end of a meeting), so that a crash right after the answer cannot undo them. The embedded store
     * otherwise commits every 100 ms; for an external MongoDB, durability is its write concern's (configure the
     * URL with {@code w=majority&journal=true}, docs/deployment.md), so there is nothing more to do here.
     */
    public void commit() {
        database();
        if (embedded != null) {
            embedded.commit();
        }
    }

    /** A round trip to the server: what the readiness check reports. */
    public boolean ping() {
        Document reply = database().runCommand(new Document("ping", 1));
        return reply.get("ok") instanceof Number ok && ok.doubleValue() == 1.0;
    }

    private void open() {
        String databaseName = config.getOptionalValue("jnosql.document.database", String.class).orElse("confab");
        Optional<String> host = config.getOptionalValue("jnosql.mongodb.host", String.class).filter(s -> !s.isBlank());
        Optional<String> url = config.getOptionalValue("jnosql.mongodb.url", String.class).filter(s -> !s.isBlank());
        String connection;
        if (host.isPresent()) { // JNoSQL's own rule: host wins over url
            connection = "mongodb://" + host.get();
            description = "external MongoDB at " + host.get();
        } else if (url.isPresent()) {
            connection = url.get();
            description = "external MongoDB at " + redact(new ConnectionString(url.get()));
        } else {
            Path dir = Path.of(config.getOptionalValue("confab.data.dir", String.class).orElse("data"));
            int port = config.getOptionalValue("confab.store.embedded.port", Integer.class).orElse(0);
            embedded = EmbeddedMongo.start(dir, port);
            connection = embedded.connectionString();
            description = "embedded MongoDB-wire store on " + embedded.address() + ", data in " + embedded.file();
        }
        client = MongoClients.create(connection);
        database = client.getDatabase(databaseName);
        createIndexes(database);
        LOG.info(() -> "Confab store: " + description + " (database '" + databaseName + "')");
    }

    private static String redact(ConnectionString cs) {
        return String.join(",", cs.getHosts());
    }

    private static void createIndexes(MongoDatabase db) {
        IndexOptions unique = new IndexOptions().unique(true);
        db.getCollection(Collections.USERS).createIndex(Indexes.ascending("usernameKey"), unique);
        db.getCollection(Collections.TOKENS).createIndex(Indexes.ascending("meetingCode"));
        db.getCollection(Collections.TOKENS).createIndex(Indexes.ascending("expiresAt"));
        db.getCollection(Collections.PARTICIPATIONS).createIndex(Indexes.ascending("userId", "joinedAt"));
        db.getCollection(Collections.PARTICIPATIONS).createIndex(Indexes.ascending("meetingCode"));
        db.getCollection(Collections.TOKENS).createIndex(Indexes.ascending("participantId"));
        db.getCollection(Collections.CHATS).createIndex(Indexes.ascending("meetingCode", "at"));
        db.getCollection(Collections.BANS).createIndex(Indexes.ascending("meetingCode"));
        db.getCollection(Collections.TOKENS).createIndex(Indexes.ascending("userId"));
        db.getCollection(Collections.TOKENS).createIndex(Indexes.ascending("providerSession"));
        db.getCollection(Collections.SIGN_INS).createIndex(Indexes.ascending("expiresAt"));
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
