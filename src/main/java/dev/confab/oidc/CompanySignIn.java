package dev.confab.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import dev.confab.auth.Accounts;
import dev.confab.auth.User;
import dev.confab.throttle.Throttles;
import dev.confab.common.ApiException;
import dev.confab.token.IssuedToken;
import dev.confab.token.SessionsEnded;
import dev.confab.token.TokenCodec;
import dev.confab.token.Tokens;
import dev.confab.token.VerifiedToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Company sign-in, step by step: {@link #start} sends the browser to the provider, {@link #finish} takes it back
 * (state, browser, code exchange, ID token, the account), {@link #redeem} gives the page Confab's own session token,
 * as a password login does. {@link #backChannelLogout} ends sessions the provider ended; {@link #providerLogout} is
 * where Confab's sign-out sends the browser to end the provider's session too.
 */
@ApplicationScoped
public class CompanySignIn {

    private static final Logger LOG = Logger.getLogger(CompanySignIn.class.getName());
    /** Time for the person at the provider's pages (password, second factor). */
    static final Duration PENDING_TTL = Duration.ofMinutes(10);
    /** Time for the page to take its session after the callback redirected it. */
    static final Duration HANDOFF_TTL = Duration.ofMinutes(2);
    /**
     * Sign-ins one client address may start: a whole office behind one address signing in at nine fits (60 at once,
     * then 2 a second), while nobody can fill the store with pending sign-ins (each lives 10 minutes).
     */
    static final Throttles.Bucket STARTS = new Throttles.Bucket(60, 2);
    private static final Pattern LOCAL_PATH = Pattern.compile("/[A-Za-z0-9/_.~-]{0,200}");

    private final OidcProvider provider;
    private final SignInRepository signIns;
    private final Accounts accounts;
    private final Tokens tokens;
    private final Event<SessionsEnded> sessionsEnded;
    private final Throttles throttles;
    private final Clock clock;
    private final TokenCodec secrets = new TokenCodec(new SecureRandom());

    /** Where the browser goes, and the cookie that ties the callback to it. */
    public record Started(URI authorizationRequest, String browserSecret) {
    }

    /** The callback's outcome: the one-time hand-off code for the page, and where it is to go next. */
    public record Finished(String handoff, String next) {
    }

    /** The page's session, as a password login gives it. */
    public record SignedIn(User user, IssuedToken token, String next) {
    }

    protected CompanySignIn() {
        this(null, null, null, null, null, null, null);
    }

    @Inject
    public CompanySignIn(OidcProvider provider, SignInRepository signIns, Accounts accounts, Tokens tokens,
                         Event<SessionsEnded> sessionsEnded, Throttles throttles, Clock clock) {
        this.provider = provider;
        this.signIns = signIns;
        this.accounts = accounts;
        this.tokens = tokens;
        this.sessionsEnded = sessionsEnded;
        this.throttles = throttles;
        this.clock = clock;
    }

    /**
     * A new sign-in: state, nonce and PKCE verifier are made and stored (against the browser's cookie, made when it
     * has none), and the browser is to go to the provider. {@code next}: a local path to return to, else /home.
     * Past {@link #STARTS} from one {@code clientAddress}: 429.
     */
    public Started start(Optional<String> next, Optional<String> browserSecret, URI redirectUri,
                         String clientAddress) {
        long wait = throttles.take("oidc-start:" + clientAddress, STARTS, clock.millis());
        if (wait > 0) {
            throw SignInFailure.tooMany(wait);
        }
        String browser = browserSecret.filter(TokenCodec::wellFormed).orElseGet(secrets::newToken);
        State state = new State(secrets.newToken());
        Nonce nonce = new Nonce(secrets.newToken());
        CodeVerifier verifier = new CodeVerifier();
        URI authorize = provider.authorizationRequest(state, nonce, verifier, redirectUri); // may fail: store nothing
        long now = clock.millis();
        signIns.deleteExpired(now);
        signIns.insert(new PendingSignIn(TokenCodec.hash(state.getValue()), TokenCodec.hash(browser),
                nonce.getValue(), verifier.getValue(), localPath(next), now + PENDING_TTL.toMillis()));
        return new Started(authorize, browser);
    }

    /**
     * The provider's callback. The state is taken (once, and only by the browser that started it) first, so
     * whatever happens next, it cannot be replayed; it must come back in time. A refusal or cancellation at the
     * provider is told as such. Then the code is exchanged and the ID token checked, and the account found or
     * created.
     */
    public Finished finish(Optional<String> code, Optional<String> state, Optional<String> error,
                           Optional<String> browserSecret, URI redirectUri) {
        Optional<String> browser = browserSecret.filter(TokenCodec::wellFormed).map(TokenCodec::hash);
        if (browser.isEmpty()) {
            throw SignInFailure.invalidState("the callback came without the cookie of the browser that started it");
        }
        PendingSignIn pending = state.filter(TokenCodec::wellFormed).map(TokenCodec::hash)
                .flatMap(id -> signIns.takePending(id, browser.get()))
                .orElseThrow(() -> SignInFailure.invalidState(state.isEmpty() ? "no state in the callback"
                        : "a state this browser did not start, or one used already"));
        if (clock.millis() >= pending.expiresAt()) {
            throw SignInFailure.invalidState("the sign-in was started more than " + PENDING_TTL.toMinutes()
                    + " minutes ago");
        }
        if (error.isPresent()) {
            throw cancelledOrRefused(error.get());
        }
        String authorizationCode = code.filter(c -> !c.isBlank() && c.length() <= 4096).orElseThrow(() ->
                new SignInFailure(400, "invalid_callback", "The sign-in service sent you back without a result.",
                        "no code in the callback"));
        ProviderIdentity who = provider.exchange(authorizationCode, new CodeVerifier(pending.codeVerifier()),
                redirectUri, new Nonce(pending.nonce()));
        User user = accounts.companyAccount(who.issuer(), who.subject(), who.displayName(), who.email(),
                who.username(), who.groups());
        String handoff = secrets.newToken();
        signIns.insert(new SignInHandoff(TokenCodec.hash(handoff), pending.browserHash(), user.id(),
                who.sessionId().orElse(null), who.idToken(), pending.next(),
                clock.millis() + HANDOFF_TTL.toMillis()));
        LOG.info(() -> "Company sign-in of " + user.id() + " (" + who.issuer() + " " + who.subject() + ", session "
                + who.sessionId().map(CompanySignIn::shortHash).orElse("none") + ")");
        return new Finished(handoff, pending.next());
    }

    /** The page's half: the hand-off code (once, in time, from the same browser) becomes a Confab session. */
    public SignedIn redeem(String handoff, Optional<String> browserSecret) {
        Optional<String> browser = browserSecret.filter(TokenCodec::wellFormed).map(TokenCodec::hash);
        SignInHandoff taken = Optional.of(handoff).filter(TokenCodec::wellFormed).map(TokenCodec::hash)
                .flatMap(id -> browser.flatMap(b -> signIns.takeHandoff(id, b)))
                .filter(h -> clock.millis() < h.expiresAt())
                .orElseThrow(() -> new ApiException(400, "invalid_handoff",
                        "This sign-in cannot be completed (used already, expired, or from another browser): sign in "
                                + "again"));
        User user = accounts.find(taken.userId())
                .orElseThrow(() -> ApiException.unauthorized("The account of this sign-in no longer exists"));
        IssuedToken token = tokens.issueCompanySession(user.id(), taken.providerSession(), taken.idToken());
        return new SignedIn(user, token, taken.next());
    }

    /**
     * A back-channel logout from the provider (OpenID Connect Back-Channel Logout 1.0): the logout token is checked
     * (signature, issuer, audience, age, the logout event, no nonce). Then every Confab session of the person it
     * names ({@code sub}, or whoever signed in within its {@code sid}) ends, with their live sockets. All of them,
     * not only the provider session named: Keycloak's "sign the user out" tells Confab of one session when the
     * person has several, and an offboarding must not leave the other devices signed in. Returns how many
     * participants were disconnected.
     */
    public int backChannelLogout(String logoutToken) {
        LogoutTokenClaimsSet claims;
        try {
            claims = provider.logoutToken(logoutToken);
        } catch (java.text.ParseException | BadJOSEException | JOSEException e) {
            LOG.log(Level.WARNING, "Back-channel logout refused: {0}", e.getMessage());
            throw ApiException.badRequest("invalid_logout_token", "The logout token is not valid: " + e.getMessage());
        }
        Set<String> userIds = new HashSet<>();
        if (claims.getSubject() != null) {
            accounts.findCompanyAccount(claims.getIssuer().getValue(), claims.getSubject().getValue())
                    .ifPresent(user -> userIds.add(user.id()));
        }
        if (claims.getSessionID() != null) {
            userIds.addAll(tokens.usersOfProviderSession(claims.getSessionID().getValue()));
        }
        List<SessionsEnded.Participant> ended = new ArrayList<>();
        userIds.forEach(userId -> ended.addAll(tokens.revokeUser(userId)));
        LOG.info(() -> "Back-channel logout of " + (claims.getSubject() != null ? "subject " + claims.getSubject()
                : "session " + shortHash(claims.getSessionID().getValue())) + ": " + userIds.size()
                + " account(s) signed out, " + ended.size() + " participant(s) disconnected");
        if (!ended.isEmpty()) {
            sessionsEnded.fire(new SessionsEnded(ended));
        }
        return ended.size();
    }

    /**
     * Where to send the browser after Confab's own sign-out to end the provider's session too (when
     * {@code confab.oidc.provider-logout} is on and the session came from the provider), coming back to
     * {@code afterLogout}.
     */
    public Optional<URI> providerLogout(VerifiedToken session, URI afterLogout) {
        return tokens.idTokenOf(session).flatMap(idToken -> provider.endSession(idToken, afterLogout));
    }

    private static SignInFailure cancelledOrRefused(String error) {
        String shown = error.length() > 64 ? error.substring(0, 64) : error;
        if ("access_denied".equals(error)) {
            return new SignInFailure(400, "sign_in_cancelled", "The sign-in was cancelled, so you are not signed in.",
                    "the provider answered access_denied");
        }
        if ("login_required".equals(error) || "interaction_required".equals(error)) {
            return new SignInFailure(400, "sign_in_cancelled", "You did not finish signing in at the company's "
                    + "sign-in service.", "the provider answered " + shown);
        }
        return new SignInFailure(400, "provider_refused", "The company sign-in service did not sign you in.",
                "the provider answered " + shown);
    }

    /** Enough of a provider session id's hash to match log lines, not to replay it. */
    private static String shortHash(String sessionId) {
        return TokenCodec.hash(sessionId).substring(0, 8);
    }

    /** A local path to return to after sign-in ({@code /m/<code>}, {@code /home}); anything else is /home. */
    static String localPath(Optional<String> next) {
        return next.filter(n -> LOCAL_PATH.matcher(n).matches() && !n.startsWith("//") && !n.contains(".."))
                .orElse("/home");
    }
}
