package dev.confab.oidc;

import dev.confab.auth.ProviderSignOut;
import dev.confab.token.TokenKind;
import dev.confab.token.VerifiedToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * RP-initiated logout, when {@code confab.oidc.provider-logout} is on: a company session's sign-out continues at
 * the provider's end-session endpoint (with the session's ID token as the hint) and comes back to Confab. When the
 * provider cannot be reached, Confab's own sign-out still happens and the log says why the provider's did not.
 */
@ApplicationScoped
public class ProviderLogout implements ProviderSignOut {

    private static final Logger LOG = Logger.getLogger(ProviderLogout.class.getName());

    private final OidcSettings settings;
    private final CompanySignIn signIn;

    protected ProviderLogout() {
        this(null, null);
    }

    @Inject
    public ProviderLogout(OidcSettings settings, CompanySignIn signIn) {
        this.settings = settings;
        this.signIn = signIn;
    }

    @Override
    public Optional<URI> after(VerifiedToken session, URI backTo) {
        if (!settings.enabled() || !settings.providerLogout() || session.kind() != TokenKind.SESSION
                || session.providerSession() == null) {
            return Optional.empty();
        }
        try {
            return signIn.providerLogout(session, backTo);
        } catch (SignInFailure e) {
            LOG.warning(() -> "Signed out of Confab only, not of the provider: " + e.getMessage() + " (" + e.detail()
                    + ")");
            return Optional.empty();
        }
    }
}
