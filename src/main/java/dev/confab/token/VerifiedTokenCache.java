package dev.confab.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's memory of tokens it found live in the store, so that a caller's every request does not read the
 * store again. Only live tokens are kept, each until its own expiry, at most {@code confab.token.cache-max-age}
 * (a bound on how long a change made to the store behind Confab's back, not through {@link Tokens}, goes unseen),
 * and at most {@code confab.token.cache-size} of them. A revocation goes through {@link #forget} on every node
 * before it returns ({@link TokenRevocations}).
 *
 * <p>A lookup racing a revocation must not put back what the revocation removed: a lookup notes the count of
 * revocations seen before it reads the store and, having cached what it read, takes it out again if that count
 * moved meanwhile. A revocation bumps the count before it removes, so either it removes the entry or the lookup
 * sees the bump.
 */
@ApplicationScoped
public class VerifiedTokenCache {

    private final Cache<String, VerifiedToken> live;
    private final AtomicLong revocations = new AtomicLong();

    protected VerifiedTokenCache() {
        this.live = null;
    }

    @Inject
    public VerifiedTokenCache(@ConfigProperty(name = "confab.token.cache-size", defaultValue = "100000") long size,
                              @ConfigProperty(name = "confab.token.cache-max-age", defaultValue = "PT5M") Duration maxAge) {
        this.live = Caffeine.newBuilder().maximumSize(size).expireAfterWrite(maxAge).build();
    }

    /** The cached token with this id, if still live at {@code nowMillis}. */
    public Optional<VerifiedToken> find(String id, long nowMillis) {
        VerifiedToken token = live.getIfPresent(id);
        if (token == null) {
            return Optional.empty();
        }
        if (nowMillis >= token.expiresAt().toEpochMilli()) {
            live.invalidate(id);
            return Optional.empty();
        }
        return Optional.of(token);
    }

    /** To be taken before reading the store, and handed to {@link #remember}. */
    public long revocationsSoFar() {
        return revocations.get();
    }

    /** Keeps a token read from the store as live, unless a revocation ran since {@code revocationsBeforeRead}. */
    public void remember(VerifiedToken token, long revocationsBeforeRead) {
        live.put(token.id(), token);
        if (revocations.get() != revocationsBeforeRead) {
            live.invalidate(token.id());
        }
    }

    /** Drops these token ids (revoked). */
    public void forget(Collection<String> ids) {
        revocations.incrementAndGet();
        live.invalidateAll(ids);
    }
}
