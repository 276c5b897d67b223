package dev.confab.token;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifiedTokenCacheTest {

    private final VerifiedTokenCache cache = new VerifiedTokenCache(1000, Duration.ofMinutes(5));

    private static VerifiedToken token(String id, long expiresAtMillis) {
        return new VerifiedToken(id, TokenKind.SESSION, "user", null, null, Instant.ofEpochMilli(expiresAtMillis), null);
    }

    @Test
    void aRememberedTokenIsFoundUntilItExpires() {
        cache.remember(token("a", 2_000), cache.revocationsSoFar());
        assertEquals("a", cache.find("a", 1_999).orElseThrow().id());
        assertTrue(cache.find("a", 2_000).isEmpty(), "dead at its expiry, as in the store");
        assertTrue(cache.find("a", 1_000).isEmpty(), "and not kept once found expired");
    }

    @Test
    void aForgottenTokenIsNotFound() {
        cache.remember(token("a", 9_000), cache.revocationsSoFar());
        cache.remember(token("b", 9_000), cache.revocationsSoFar());
        cache.forget(List.of("a"));
        assertTrue(cache.find("a", 1_000).isEmpty());
        assertEquals("b", cache.find("b", 1_000).orElseThrow().id(), "others stay");
    }

    @Test
    void aLookupThatReadTheStoreBeforeARevocationDoesNotPutTheTokenBack() {
        long beforeRead = cache.revocationsSoFar(); // the lookup starts and reads the token, still live, from the store
        cache.forget(List.of("a"));                 // meanwhile the token is revoked (stored, then forgotten everywhere)
        cache.remember(token("a", 9_000), beforeRead); // the lookup caches what it read
        assertTrue(cache.find("a", 1_000).isEmpty(), "the revoked token must not be answered from the cache");
    }
}
