package dev.confab.oidc;

import dev.confab.auth.SignInMethods;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Company sign-in's settings (docs/configuration.md). Sign-in through a provider is on when
 * {@code confab.oidc.issuer} is set; the client id and secret are then required.
 */
@ApplicationScoped
public class OidcSettings {

    private final Optional<String> issuer;
    private final Optional<String> clientId;
    private final Optional<String> clientSecret;
    private final List<String> scopes;
    private final String groupsClaim;
    private final Duration clockSkew;
    private final Duration timeout;
    private final boolean providerLogout;

    protected OidcSettings() {
        this(null, Optional.empty(), Optional.empty(), null, null, null, null, false);
    }

    /** The issuer is read once, by {@link SignInMethods} (which also needs to know whether there is one). */
    @Inject
    public OidcSettings(
            SignInMethods methods,
            @ConfigProperty(name = "confab.oidc.client-id") Optional<String> clientId,
            @ConfigProperty(name = "confab.oidc.client-secret") Optional<String> clientSecret,
            @ConfigProperty(name = "confab.oidc.scopes", defaultValue = "openid profile email") String scopes,
            @ConfigProperty(name = "confab.oidc.groups-claim", defaultValue = "groups") String groupsClaim,
            @ConfigProperty(name = "confab.oidc.clock-skew", defaultValue = "PT60S") Duration clockSkew,
            @ConfigProperty(name = "confab.oidc.timeout", defaultValue = "PT5S") Duration timeout,
            @ConfigProperty(name = "confab.oidc.provider-logout", defaultValue = "false") boolean providerLogout) {
        this.issuer = methods == null ? Optional.empty() : methods.issuer();
        this.clientId = blankless(clientId);
        this.clientSecret = blankless(clientSecret);
        this.scopes = scopes == null ? List.of() : Arrays.stream(scopes.split("[\\s,]+")).filter(s -> !s.isEmpty())
                .toList();
        this.groupsClaim = groupsClaim;
        this.clockSkew = clockSkew;
        this.timeout = timeout;
        this.providerLogout = providerLogout;
        if (this.issuer.isPresent() && (this.clientId.isEmpty() || this.clientSecret.isEmpty())) {
            throw new IllegalStateException(
                    "confab.oidc.issuer is set: confab.oidc.client-id and confab.oidc.client-secret are required too");
        }
    }

    private static Optional<String> blankless(Optional<String> value) {
        return value == null ? Optional.empty() : value.map(String::strip).filter(s -> !s.isEmpty());
    }

    /** Whether company sign-in is configured. */
    public boolean enabled() {
        return issuer.isPresent();
    }

    /** The provider's issuer identifier, exactly as its discovery document states it; when {@link #enabled()}. */
    public String issuer() {
        return issuer.orElseThrow(() -> new IllegalStateException("Company sign-in is not configured"));
    }

    public String clientId() {
        return clientId.orElseThrow();
    }

    public String clientSecret() {
        return clientSecret.orElseThrow();
    }

    public List<String> scopes() {
        return scopes;
    }

    /** The ID token claim that lists the user's groups or roles (a list, or one string). */
    public String groupsClaim() {
        return groupsClaim;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    /** How long a call to the provider may take (connect, then read) before sign-in gives up. */
    public Duration timeout() {
        return timeout;
    }

    /** Whether signing out of Confab also ends the provider's session (RP-initiated logout). */
    public boolean providerLogout() {
        return providerLogout;
    }
}
