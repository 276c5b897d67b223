package dev.confab.token;

import dev.confab.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Issues, verifies and revokes bearer tokens. Only hashes are stored; expiry is checked on every use. A token found
 * live is remembered by this node ({@link VerifiedTokenCache}); a revocation is stored first, then forgotten on
 * every node before the call returns ({@link TokenRevocations}).
 */
@ApplicationScoped
public class Tokens {

    private final TokenRepository repository;
    private final Store store;
    private final Clock clock;
    private final Duration sessionTtl;
    private final Duration participantTtl;
    private final VerifiedTokenCache cache;
    private final TokenRevocations revocations;
    private final TokenCodec codec = new TokenCodec(new SecureRandom());

    protected Tokens() {
        this(null, null, null, null, null, null, null);
    }

    @Inject
    public Tokens(TokenRepository repository, Store store, Clock clock,
                  @ConfigProperty(name = "confab.token.session-ttl", defaultValue = "PT12H") Duration sessionTtl,
                  @ConfigProperty(name = "confab.token.participant-ttl", defaultValue = "PT24H") Duration participantTtl,
                  VerifiedTokenCache cache, TokenRevocations revocations) {
        this.repository = repository;
        this.cache = cache;
        this.revocations = revocations;
        this.store = store;
        this.clock = clock;
        this.sessionTtl = sessionTtl;
        this.participantTtl = participantTtl;
    }

    public IssuedToken issueSession(String userId) {
        return issue(TokenKind.SESSION, userId, null, null, sessionTtl, null, null);
    }

    /** A session of someone the company's provider signed in, within its session {@code providerSession}. */
    public IssuedToken issueCompanySession(String userId, String providerSession, String idToken) {
        return issue(TokenKind.SESSION, userId, null, null, sessionTtl, providerSession, idToken);
    }

    /** {@code providerSession}: that of the session token the participant joined with, or null. */
    public IssuedToken issueParticipant(String meetingCode, String participantId, String userId,
                                        String providerSession) {
        return issue(TokenKind.PARTICIPANT, userId, participantId, meetingCode, participantTtl, providerSession, null);
    }

    private IssuedToken issue(TokenKind kind, String userId, String participantId, String meetingCode, Duration ttl,
                              String providerSession, String idToken) {
        String token = codec.newToken();
        Instant now = Instant.ofEpochMilli(clock.millis()); // stored in milliseconds, so shown in them
        Instant expiresAt = now.plus(ttl);
        repository.insert(new AccessToken(TokenCodec.hash(token), kind.wire(), userId, participantId, meetingCode,
                now.toEpochMilli(), expiresAt.toEpochMilli(), false, providerSession, idToken));
        return new IssuedToken(token, expiresAt);
    }

    /** The provider's ID token a company session was signed in with, for an RP-initiated logout. */
    public Optional<String> idTokenOf(VerifiedToken session) {
        return repository.find(session.id()).map(AccessToken::idToken);
    }

    /** The live token behind {@code token}, if any: unknown, malformed, revoked and expired tokens give nothing. */
    public Optional<VerifiedToken> verify(String token) {
        if (!TokenCodec.wellFormed(token)) {
            return Optional.empty();
        }
        long now = clock.millis();
        String id = TokenCodec.hash(token);
        Optional<VerifiedToken> cached = cache.find(id, now);
        if (cached.isPresent()) {
            return cached;
        }
        long revocationsBeforeRead = cache.revocationsSoFar();
        Optional<VerifiedToken> found = repository.find(id)
                .filter(stored -> stored.liveAt(now))
                .map(stored -> new VerifiedToken(stored.id(), TokenKind.fromWire(stored.kind()), stored.userId(),
                        stored.participantId(), stored.meetingCode(), Instant.ofEpochMilli(stored.expiresAt()),
                        stored.providerSession()));
        found.ifPresent(live -> cache.remember(live, revocationsBeforeRead));
        return found;
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
        revocations.forgetEverywhere(List.of(token.id()));
    }

    /** Kills every participant token of a meeting at once (meeting ended). Returns how many were live. */
    public int revokeMeeting(String meetingCode) {
        return revokeAll(repository.ofMeeting(meetingCode));
    }

    /** Kills every token of one participant (removed by the host). Returns how many were live. */
    public int revokeParticipant(String participantId) {
        return revokeAll(repository.ofParticipant(participantId));
    }

    /** Who signed in within one of the company provider's sessions (a back-channel logout names its sid). */
    public Set<String> usersOfProviderSession(String providerSession) {
        Set<String> users = new HashSet<>();
        repository.ofProviderSession(providerSession).forEach(t -> users.add(t.userId()));
        return users;
    }

    /**
     * Kills every token of one user (their sign-in ended at the company's provider), durably. Returns the
     * participants whose tokens died, so that their sockets can be closed.
     */
    public List<SessionsEnded.Participant> revokeUser(String userId) {
        return revokeSignIns(repository.ofUser(userId));
    }

    private List<SessionsEnded.Participant> revokeSignIns(List<AccessToken> tokens) {
        List<SessionsEnded.Participant> participants = new ArrayList<>();
        for (AccessToken stored : tokens) {
            if (stored.participantId() != null && stored.liveAt(clock.millis())) {
                participants.add(new SessionsEnded.Participant(stored.meetingCode(), stored.participantId()));
            }
        }
        revokeAll(tokens);
        return participants;
    }

    private int revokeAll(List<AccessToken> tokens) {
        int revoked = 0;
        List<String> ids = new ArrayList<>();
        for (AccessToken stored : tokens) {
            if (!stored.revoked()) {
                repository.update(stored.revoke());
                ids.add(stored.id());
                revoked++;
            }
        }
        store.commit();
        if (!ids.isEmpty()) {
            revocations.forgetEverywhere(ids);
        }
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
