package dev.confab.oidc;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import dev.confab.store.Collections;
import dev.confab.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.bson.Document;

import java.util.Optional;

/**
 * Company sign-ins under way, in the shared store (so that whichever node the provider sends the browser back to
 * can finish it): a {@link PendingSignIn} between the redirect to the provider and its callback, a
 * {@link SignInHandoff} between the callback and the page taking its session. Each is keyed by the SHA-256 of its
 * secret and taken at most once, by MongoDB's {@code findOneAndDelete}: two callbacks with one state, or two pages
 * with one hand-off, cannot both win. Only the browser that started a sign-in can take it (its cookie's hash is part
 * of the query): someone else holding the state or the code can neither use it nor use it up. JNoSQL's template
 * has no such "read and delete as one", hence the driver.
 */
@ApplicationScoped
public class SignInRepository {

    private static final String STARTED = "started";
    private static final String VERIFIED = "verified";

    private final Store store;

    protected SignInRepository() {
        this(null);
    }

    @Inject
    public SignInRepository(Store store) {
        this.store = store;
    }

    public void insert(PendingSignIn pending) {
        collection().insertOne(new Document("_id", pending.id()).append("kind", STARTED)
                .append("browser", pending.browserHash()).append("nonce", pending.nonce())
                .append("verifier", pending.codeVerifier()).append("next", pending.next())
                .append("expiresAt", pending.expiresAt()));
    }

    public void insert(SignInHandoff handoff) {
        collection().insertOne(new Document("_id", handoff.id()).append("kind", VERIFIED)
                .append("browser", handoff.browserHash()).append("userId", handoff.userId())
                .append("providerSession", handoff.providerSession()).append("idToken", handoff.idToken())
                .append("next", handoff.next()).append("expiresAt", handoff.expiresAt()));
    }

    /**
     * The pending sign-in with this id started by this browser, removed as it is read; empty when there is none
     * (or it was taken).
     */
    public Optional<PendingSignIn> takePending(String id, String browserHash) {
        return take(id, STARTED, browserHash).map(d -> new PendingSignIn(d.getString("_id"), d.getString("browser"),
                d.getString("nonce"), d.getString("verifier"), d.getString("next"), d.getLong("expiresAt")));
    }

    /** The hand-off with this id for this browser, removed as it is read. */
    public Optional<SignInHandoff> takeHandoff(String id, String browserHash) {
        return take(id, VERIFIED, browserHash).map(d -> new SignInHandoff(d.getString("_id"), d.getString("browser"),
                d.getString("userId"), d.getString("providerSession"), d.getString("idToken"), d.getString("next"),
                d.getLong("expiresAt")));
    }

    /** Deletes what expired unused (abandoned sign-ins); returns how many. */
    public long deleteExpired(long nowMillis) {
        return collection().deleteMany(Filters.lt("expiresAt", nowMillis)).getDeletedCount();
    }

    private Optional<Document> take(String id, String kind, String browserHash) {
        return Optional.ofNullable(collection().findOneAndDelete(Filters.and(Filters.eq("_id", id),
                Filters.eq("kind", kind), Filters.eq("browser", browserHash))));
    }

    private MongoCollection<Document> collection() {
        return store.database().getCollection(Collections.SIGN_INS);
    }
}
