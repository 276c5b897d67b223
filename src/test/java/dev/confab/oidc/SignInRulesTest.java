package dev.confab.oidc;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SignInRulesTest {

    @Test
    void afterSignInOnlyLocalPathsAreFollowed() {
        assertEquals("/m/abc-defg-hij", CompanySignIn.localPath(Optional.of("/m/abc-defg-hij")));
        assertEquals("/home", CompanySignIn.localPath(Optional.empty()));
        assertEquals("/home", CompanySignIn.localPath(Optional.of("https://evil.example/")));
        assertEquals("/home", CompanySignIn.localPath(Optional.of("//evil.example/")));
        assertEquals("/home", CompanySignIn.localPath(Optional.of("/\\evil.example")));
        assertEquals("/home", CompanySignIn.localPath(Optional.of("/m/../admin")));
        assertEquals("/home", CompanySignIn.localPath(Optional.of("/m/x?next=https://evil.example")));
    }

    /** The messages Nimbus 11 gives for each failed check (seen against Keycloak in SignInIT), and what they mean. */
    @Test
    void eachFailedIdTokenCheckHasItsOwnReason() {
        assertEquals("signature", OidcProvider.reasonOf("Signed JWT rejected: Invalid signature"));
        assertEquals("signature", OidcProvider.reasonOf(
                "Signed JWT rejected: Another algorithm expected, or no matching key(s) found"));
        assertEquals("audience", OidcProvider.reasonOf("Unexpected JWT audience: [other-app]"));
        assertEquals("nonce", OidcProvider.reasonOf("Unexpected JWT nonce (nonce) claim: abc"));
        assertEquals("nonce", OidcProvider.reasonOf("Missing JWT nonce (nonce) claim"));
        assertEquals("issuer", OidcProvider.reasonOf("Unexpected JWT issuer: https://elsewhere"));
        assertEquals("time", OidcProvider.reasonOf("Expired JWT"));
        assertEquals("time", OidcProvider.reasonOf("JWT issue time ahead of current time"));
        assertEquals("invalid", OidcProvider.reasonOf("Something else"));
        assertEquals("invalid", OidcProvider.reasonOf(null));
    }

    @Test
    void errorPagesEscapeWhatTheyShow() {
        String page = SignInPages.error(new SignInFailure(400, "provider_refused", "No.", "<script>x</script>"));
        assertEquals(-1, page.indexOf("<script>x"));
        assertEquals(true, page.contains("&lt;script&gt;x&lt;/script&gt;"));
    }
}
