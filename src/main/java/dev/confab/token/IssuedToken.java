package dev.confab.token;

import java.time.Instant;

/** A token just issued: the only moment the raw token exists on the server. */
public record IssuedToken(String token, Instant expiresAt) {
}
