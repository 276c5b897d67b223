package dev.confab.auth;

import java.time.Instant;

public record LoginResponse(String token, Instant expiresAt, UserView user) {
}
