package dev.confab.token;

import dev.confab.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Issues, verifies and revokes bearer tokens. Only hashes are stored; expiry is checked on every use. */
@ApplicationScoped
public class Tokens {

    private final TokenRepository repository;
    private final Store store;
    private final Clock clock;
    private final Duration sessionTtl;
    private final Duration participantTtl;
    private final TokenCodec codec = new TokenCodec(new SecureRandom());

    protected Tokens() {
        this(null, null, null, null, null);
    }

    @Inject
    public Tokens(TokenRepository repository, Store store, Clock clock,
                  @ConfigProperty(name = "confab.token.session-ttl", defaultValue = "PT12H") Duration sessionTtl,
                  @ConfigProperty(name = "confab.token.participant-ttl", defaultValue = "PT24H") Duration participantTtl) {
        this.repository = repository;
        this.store = store;
        this.clock = clock;
        this.sessionTtl = sessionTtl;
        this.participantTtl = participantTtl;
    }

    public IssuedToken issueSession(String userId) {
        return issue(TokenKind.SESSION, userId, null, null, sessionTtl);
    }

    public IssuedToken issueParticipant(String meetingCode, String participantId, String userId) {
        return issue(TokenKind.PARTICIPANT, userId, participantId, meetingCode, participantTtl);
    }

    private IssuedToken issue(TokenKind kind, String userId, String participantId, String meetingCode, Duration ttl) {
        String token = codec.newToken();
        Instant now = Instant.ofEpochMilli(clock.millis()); // stored in milliseconds, so shown in them
        Instant expiresAt = now.plus(ttl);
        repository.insert(new AccessToken(TokenCodec.hash(token), kind.wire(), userId, participantId, meetingCode,
                now.toEpochMilli(), expiresAt.toEpochMilli(), false));
        return new IssuedToken(token, expiresAt);
    }

    /** The live token behind {@code token}, if any: unknown, malformed, revoked and expired tokens give nothing. */
    public Optional<VerifiedToken> verify(String token) {
        if (!TokenCodec.wellFormed(token)) {
            return Optional.empty();
        }
        long now = clock.millis();
        return repository.find(TokenCodec.hash(token))
                .filter(stored -> stored.liveAt(now))
                .map(stored -> new VerifiedToken(stored.id(), TokenKind.fromWire(stored.kind()), stored.userId(),
                        stored.participantId(), stored.meetingCode(), Instant.ofEpochMilli(stored.expiresAt())));
    }

    /**
     * The participant a participant token was issued to, whether or not the token is still live: to tell a
     * removed participant why its old token no longer opens the meeting (until the sweep deletes it).
     */
    public Optional<String> participantOf(String token) {
        if (!TokenCodec.wellFormed(token)) {
            return Optional.empty();
        }
        return repository.find(TokenCodec.hash(token)).map(AccessToken::participantId);
    }

    /** Kills one token at once (logout), durably: a crash right after cannot bring it back. */
    public void revoke(VerifiedToken token) {
        repository.find(token.id()).ifPresent(stored -> repository.update(stored.revoke()));
        store.commit();
    }

    /** Kills every participant token of a meeting at once (meeting ended). Returns how many were live. */
    public int revokeMeeting(String meetingCode) {
        return revokeAll(repository.ofMeeting(meetingCode));
    }

    /** Kills every token of one participant (removed by the host). Returns how many were live. */
    public int revokeParticipant(String participantId) {
        return revokeAll(repository.ofParticipant(participantId));
    }

    private int revokeAll(List<AccessToken> tokens) {
        int revoked = 0;
        for (AccessToken stored : tokens) {
            if (!stored.revoked()) {
                repository.update(stored.revoke());
                revoked++;
            }
        }
        store.commit();
        return revoked;
    }

    /** Deletes expired and revoked tokens; returns how many went. Run by {@link TokenSweeper}. */
    public int sweep() {
        Set<String> dead = new HashSet<>();
        repository.expiredBefore(clock.millis()).forEach(t -> dead.add(t.id()));
        repository.revoked().forEach(t -> dead.add(t.id()));
        dead.forEach(repository::delete);
        return dead.size();
    }
}
