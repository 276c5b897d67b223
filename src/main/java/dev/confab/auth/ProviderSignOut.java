package dev.confab.auth;

import dev.confab.token.VerifiedToken;

import java.net.URI;
import java.util.Optional;

/**
 * Where Confab's sign-out sends the browser next to end the company provider's session as well (RP-initiated
 * logout), implemented by the company sign-in ({@code dev.confab.oidc}); empty for local sessions, or when it is
 * not wanted. Asked before the session token is revoked.
 */
public interface ProviderSignOut {

    Optional<URI> after(VerifiedToken session, URI backTo);
}
