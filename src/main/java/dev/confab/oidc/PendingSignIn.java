package dev.confab.oidc;

/**
 * A sign-in sent to the provider and not yet back: {@code id} is the SHA-256 of its {@code state}, and
 * {@code browserHash} that of the cookie the browser that started it holds (the callback must come with it, which
 * stops a forged or planted callback from signing someone into another's account). The nonce and the PKCE verifier
 * are checked against the provider's answer. {@code next} is the local page to return to. Epoch milliseconds.
 */
public record PendingSignIn(String id, String browserHash, String nonce, String codeVerifier, String next,
                            long expiresAt) {
}
