package dev.confab.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * How people may sign in here, and who may create meetings (docs/configuration.md): local accounts
 * ({@code confab.auth.local-accounts}, on by default) and/or the company's provider (on when
 * {@code confab.oidc.issuer} is set; the protocol's own settings are {@code dev.confab.oidc.OidcSettings}).
 */
@ApplicationScoped
public class SignInMethods {

    private final boolean localAccounts;
    private final boolean company;
    private final String issuer;
    private final String companyLabel;
    private final Optional<String> creatorGroup;

    protected SignInMethods() {
        this(true, Optional.empty(), null, Optional.empty());
    }

    @Inject
    public SignInMethods(
            @ConfigProperty(name = "confab.auth.local-accounts", defaultValue = "true") boolean localAccounts,
            @ConfigProperty(name = "confab.oidc.issuer") Optional<String> issuer,
            @ConfigProperty(name = "confab.oidc.label", defaultValue = "Sign in with your company account")
            String companyLabel,
            @ConfigProperty(name = "confab.oidc.creator-group") Optional<String> creatorGroup) {
        this.localAccounts = localAccounts;
        // exactly as configured (only blanks trimmed): OpenID Connect compares issuers as strings, and some
        // providers' issuers end with a slash (Auth0's), others do not (Keycloak's)
        this.issuer = issuer == null ? null : issuer.map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        this.company = this.issuer != null;
        this.companyLabel = companyLabel;
        this.creatorGroup = creatorGroup == null ? Optional.empty()
                : creatorGroup.map(String::strip).filter(s -> !s.isEmpty());
        if (!localAccounts && !company) {
            throw new IllegalStateException(
                    "confab.auth.local-accounts=false needs company sign-in (confab.oidc.issuer): "
                            + "nobody could sign in");
        }
    }

    /** Checks the settings at deployment: with neither way to sign in, it fails. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        localAccounts();
    }

    /** Usernames and passwords: registration and password login. */
    public boolean localAccounts() {
        return localAccounts;
    }

    /** Sign-in through the company's OpenID Connect provider. */
    public boolean company() {
        return company;
    }

    /** The company provider's issuer ({@code confab.oidc.issuer}), when company sign-in is on. */
    public Optional<String> issuer() {
        return Optional.ofNullable(issuer);
    }

    /**
     * One of the organisation's people: signed in through its provider (the one configured now; the issuer an
     * account keeps is its ID token's, which the validator made sure equals the configured one).
     */
    public boolean isOrganisationMember(User user) {
        return company && issuer.equals(user.issuer());
    }

    /** The text of the company sign-in button. */
    public String companyLabel() {
        return companyLabel;
    }

    /**
     * Whether this account may create meetings: with {@code confab.oidc.creator-group} set, company accounts must
     * be in that group (as the provider's groups claim said at their last sign-in); local accounts may, since
     * whoever may have one is the operator's choice ({@code confab.auth.local-accounts}).
     */
    public boolean mayCreateMeetings(User user) {
        return creatorGroup.isEmpty() || !user.isCompanyAccount() || user.inGroup(creatorGroup.get());
    }
}
