package dev.confab.oidc;

/**
 * A verified sign-in waiting for its page to take the session: the callback redirects the browser with a one-time
 * code in the URL's fragment (never sent to a server, never in a log), and the page exchanges it, with the same
 * browser's cookie, for Confab's session token; so the session token itself never travels in a URL. {@code id} is
 * the code's SHA-256.
 */
public record SignInHandoff(String id, String browserHash, String userId, String providerSession, String idToken,
                            String next, long expiresAt) {
}
