package dev.confab.token;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class TokenCodecTest {

    private final TokenCodec codec = new TokenCodec(new SecureRandom());

    @Test
    void tokensAre32RandomBytesInBase64Url() {
        String token = codec.newToken();
        assertEquals(43, token.length());
        assertEquals(32, Base64.getUrlDecoder().decode(token).length);
        assertTrue(TokenCodec.wellFormed(token));
    }

    @Test
    void tokensDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(codec.newToken()));
        }
    }

    @Test
    void hashIsSha256HexAndDiffersFromTheToken() {
        // SHA-256("abc") is a published test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TokenCodec.hash("abc"));
        String token = codec.newToken();
        assertNotEquals(token, TokenCodec.hash(token));
        assertEquals(64, TokenCodec.hash(token).length());
    }

    @Test
    void malformedTokensAreRefusedWithoutLookUp() {
        assertFalse(TokenCodec.wellFormed(null));
        assertFalse(TokenCodec.wellFormed(""));
        assertFalse(TokenCodec.wellFormed("short"));
        assertFalse(TokenCodec.wellFormed("{\"$ne\":null}"));
        assertFalse(TokenCodec.wellFormed("a".repeat(42) + "="));
    }

    @Test
    void tokenIsLiveUntilExpiryUnlessRevoked() {
        AccessToken t = new AccessToken("h", "session", "u", null, null, 0, 1000, false, null, null);
        assertTrue(t.liveAt(999));
        assertFalse(t.liveAt(1000), "refused the moment it expires");
        assertFalse(t.revoke().liveAt(0));
    }

    @Test
    void bearerHeaderParsing() {
        assertEquals("abc", BearerAuthenticationMechanism.bearerToken("Bearer abc").orElseThrow());
        assertEquals("abc", BearerAuthenticationMechanism.bearerToken("bearer abc").orElseThrow());
        assertTrue(BearerAuthenticationMechanism.bearerToken("Basic abc").isEmpty());
        assertTrue(BearerAuthenticationMechanism.bearerToken("Bearer ").isEmpty());
    }
}
