package dev.confab.oidc;

import java.util.List;
import java.util.Optional;

/**
 * Who the provider says signed in, from a verified ID token: {@code issuer} + {@code subject} identify the person
 * for good; the rest is refreshed at every sign-in. {@code sessionId} is the provider's session ({@code sid}), which
 * a back-channel logout names.
 */
public record ProviderIdentity(String issuer, String subject, Optional<String> sessionId, String displayName,
                               Optional<String> email, Optional<String> username, List<String> groups,
                               String idToken) {
}
