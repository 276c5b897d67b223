package dev.confab.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The company's OpenID Connect provider, spoken to through the Nimbus OAuth 2.0 / OpenID Connect SDK: discovery,
 * the authorization request (code flow with PKCE), the code exchange as a confidential client, and the checks of ID
 * and logout tokens (signature through the provider's JWKS, fetched and cached by Nimbus, and fetched again when a
 * token names a key it does not know: that is how key rotation is followed; {@code iss}, {@code aud}/{@code azp},
 * {@code exp}/{@code iat} within the clock-skew allowance, {@code nonce}). Nothing of the protocol or the
 * cryptography is written here.
 */
@ApplicationScoped
public class OidcProvider {

    private static final Logger LOG = Logger.getLogger(OidcProvider.class.getName());
    /** The algorithms an ID token may be signed with; "none" and the HMAC family are never accepted. */
    private static final Set<JWSAlgorithm> SIGNATURE_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);

    private final OidcSettings settings;
    private Resolved resolved;

    /** Discovery's answer and what is built from it, kept once it worked. */
    private record Resolved(OIDCProviderMetadata metadata, IDTokenValidator idTokens, LogoutTokenValidator logouts) {
    }

    protected OidcProvider() {
        this(null);
    }

    @Inject
    public OidcProvider(OidcSettings settings) {
        this.settings = settings;
    }

    /** Checks the settings at deployment (a half-configured sign-in fails it) and says in the log what is on. */
    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        if (settings.enabled()) {
            LOG.info(() -> "Company sign-in through " + settings.issuer() + " as client " + settings.clientId());
        }
    }

    /** Where to send the browser: the provider's authorization endpoint with this sign-in's state, nonce, PKCE. */
    public URI authorizationRequest(State state, Nonce nonce, CodeVerifier verifier, URI redirectUri) {
        OIDCProviderMetadata metadata = resolved().metadata();
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(settings.scopes().toArray(String[]::new)),
                clientId(), redirectUri)
                .endpointURI(metadata.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build()
                .toURI();
    }

    /**
     * Exchanges the authorization code (with the PKCE verifier and the client's secret) for tokens at the
     * provider's token endpoint, and checks the ID token; the person it names, or a {@link SignInFailure}.
     */
    public ProviderIdentity exchange(String code, CodeVerifier verifier, URI redirectUri, Nonce nonce) {
        Resolved provider = resolved();
        TokenRequest request = new TokenRequest.Builder(provider.metadata().getTokenEndpointURI(),
                new ClientSecretBasic(clientId(), new Secret(settings.clientSecret())),
                new AuthorizationCodeGrant(new AuthorizationCode(code), redirectUri, verifier)).build();
        TokenResponse response;
        try {
            HTTPRequest http = request.toHTTPRequest();
            http.setConnectTimeout(timeoutMillis());
            http.setReadTimeout(timeoutMillis());
            response = OIDCTokenResponseParser.parse(http.send());
        } catch (IOException e) {
            throw SignInFailure.unreachable("token endpoint: " + e);
        } catch (ParseException e) {
            throw new SignInFailure(502, "provider_error",
                    "The company sign-in service gave an answer Confab does not understand.", e.getMessage());
        }
        if (!response.indicatesSuccess()) {
            ErrorObject error = response.toErrorResponse().getErrorObject();
            throw new SignInFailure(400, "code_rejected",
                    "The company sign-in service did not accept this sign-in (it may have been used already or have "
                            + "expired). Please start again.",
                    error.getCode() + (error.getDescription() == null ? "" : ": " + error.getDescription()));
        }
        OIDCTokenResponse tokens = (OIDCTokenResponse) response.toSuccessResponse();
        JWT idToken = tokens.getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw SignInFailure.rejectedIdToken("invalid", "the token response has no ID token (is 'openid' a scope?)");
        }
        IDTokenClaimsSet claims;
        try {
            claims = provider.idTokens().validate(idToken, nonce);
        } catch (BadJOSEException | JOSEException e) {
            throw SignInFailure.rejectedIdToken(reasonOf(e.getMessage()), e.getMessage());
        }
        return identity(claims, tokens.getOIDCTokens().getIDTokenString());
    }

    /** A back-channel logout token's claims once checked (signature, iss, aud, iat, events, no nonce), or empty. */
    public LogoutTokenClaimsSet logoutToken(String token) throws java.text.ParseException, BadJOSEException,
            JOSEException {
        return resolved().logouts().validate(JWTParser.parse(token));
    }

    /** The provider's end-session URL for this ID token (RP-initiated logout), when it offers one. */
    public Optional<URI> endSession(String idToken, URI postLogoutRedirect) {
        URI endpoint = resolved().metadata().getEndSessionEndpointURI();
        if (endpoint == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LogoutRequest(endpoint, JWTParser.parse(idToken), postLogoutRedirect, null).toURI());
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("A stored ID token does not parse", e);
        }
    }

    private ProviderIdentity identity(IDTokenClaimsSet claims, String idToken) {
        Optional<String> username = string(claims.getStringClaim("preferred_username"));
        Optional<String> email = string(claims.getStringClaim("email"));
        String name = string(claims.getStringClaim("name"))
                .or(() -> string(String.join(" ", Optional.ofNullable(claims.getStringClaim("given_name")).orElse(""),
                        Optional.ofNullable(claims.getStringClaim("family_name")).orElse("")).strip()))
                .or(() -> username).or(() -> email).orElse(claims.getSubject().getValue());
        String sid = claims.getStringClaim("sid");
        return new ProviderIdentity(claims.getIssuer().getValue(), claims.getSubject().getValue(), string(sid), name,
                email, username, groups(claims.getClaim(settings.groupsClaim())), idToken);
    }

    private static List<String> groups(Object claim) {
        if (claim instanceof String one) {
            return List.of(one);
        }
        if (claim instanceof List<?> many) {
            return many.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }

    private static Optional<String> string(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** Which check an ID token failed, from the validator's message (Nimbus names the claim it rejected). */
    static String reasonOf(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("signature") || m.contains("no matching key") || m.contains("another algorithm")) {
            return "signature";
        }
        if (m.contains("nonce")) {
            return "nonce";
        }
        if (m.contains("audience") || m.contains("azp") || m.contains("authorized party")) {
            return "audience";
        }
        if (m.contains("issuer") || m.contains("iss claim")) {
            return "issuer";
        }
        if (m.contains("expired") || m.contains("ahead of current time") || m.contains("before use")) {
            return "time";
        }
        return "invalid";
    }

    private ClientID clientId() {
        return new ClientID(settings.clientId());
    }

    private int timeoutMillis() {
        return (int) settings.timeout().toMillis();
    }

    /** Discovery, done once it has worked; while the provider cannot be reached, each sign-in tries again. */
    private synchronized Resolved resolved() {
        if (!settings.enabled()) {
            throw new SignInFailure(404, "sign_in_not_configured", "Company sign-in is not set up on this server.",
                    "confab.oidc.issuer is not set");
        }
        if (resolved == null) {
            resolved = resolve();
        }
        return resolved;
    }

    private Resolved resolve() {
        Issuer issuer = new Issuer(settings.issuer());
        OIDCProviderMetadata metadata;
        try {
            metadata = OIDCProviderMetadata.resolve(issuer, timeoutMillis(), timeoutMillis());
        } catch (IOException e) {
            throw SignInFailure.unreachable("discovery at " + settings.issuer() + ": " + e);
        } catch (GeneralException e) {
            throw new SignInFailure(502, "provider_error",
                    "The company sign-in service is not set up the way Confab expects.", e.getMessage());
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(metadata.getJWKSetURI().toURL(),
                            new DefaultResourceRetriever(timeoutMillis(), timeoutMillis(), 512 * 1024))
                    .retrying(true).build();
        } catch (MalformedURLException e) {
            throw new SignInFailure(502, "provider_error", "The company sign-in service's key set has a bad address.",
                    e.getMessage());
        }
        Set<JWSAlgorithm> algorithms = new HashSet<>(SIGNATURE_ALGORITHMS);
        IDTokenValidator idTokens = new IDTokenValidator(metadata.getIssuer(), clientId(),
                new JWSVerificationKeySelector<>(algorithms, keys), null);
        idTokens.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        LogoutTokenValidator logouts = new LogoutTokenValidator(metadata.getIssuer(), clientId(), false,
                new JWSVerificationKeySelector<>(algorithms, keys), null);
        logouts.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        LOG.info(() -> "Company sign-in: discovered " + metadata.getIssuer() + " (keys at " + metadata.getJWKSetURI()
                + ")");
        return new Resolved(metadata, idTokens, logouts);
    }
}
