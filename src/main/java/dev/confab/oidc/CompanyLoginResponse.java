package dev.confab.oidc;

import dev.confab.auth.UserView;

import java.time.Instant;

/** A company sign-in's session, as a password login's ({@code LoginResponse}), and the page to go on to. */
public record CompanyLoginResponse(String token, Instant expiresAt, UserView user, String next) {
}
