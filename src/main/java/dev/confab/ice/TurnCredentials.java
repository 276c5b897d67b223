package dev.confab.ice;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * coturn's standard time-limited credentials ({@code use-auth-secret}, the "TURN REST API" scheme): the username is
 * {@code "<expiry epoch seconds>:<participant id>"}, the password {@code Base64(HMAC-SHA1(secret, username))}. The
 * TURN server recomputes the password from its copy of the secret, so the secret itself never leaves Confab.
 */
public final class TurnCredentials {

    /** One minted credential: what goes into an ICE server entry, and until when the TURN server accepts it. */
    public record Credential(String username, String password, Instant expiresAt) {
    }

    private final byte[] secret;
    private final Duration ttl;

    public TurnCredentials(String secret, Duration ttl) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a TURN secret is required");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the TURN credential lifetime must be positive");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
    }

    public Credential mint(String participantId, Instant now) {
        Instant expiresAt = now.plus(ttl);
        String username = expiresAt.getEpochSecond() + ":" + participantId;
        return new Credential(username, sign(username), Instant.ofEpochSecond(expiresAt.getEpochSecond()));
    }

    private String sign(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1"); // what coturn checks; not a choice of ours
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is part of every JDK", e);
        }
    }
}
