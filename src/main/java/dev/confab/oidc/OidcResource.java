package dev.confab.oidc;

import dev.confab.auth.SignInMethods;
import dev.confab.auth.UserView;
import dev.confab.web.ClientAddress;
import dev.confab.web.JsonInput;
import dev.confab.web.PublicLinks;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * {@code /api/v1/auth/oidc}: company sign-in through OpenID Connect (docs/api.md). {@code start} and
 * {@code callback} are browser navigations, so their failures are error pages (HTML, with the status); the page's
 * {@code session} call and the provider's {@code backchannel-logout} answer JSON.
 */
@Path("auth/oidc")
@RequestScoped
public class OidcResource {

    private static final Logger LOG = Logger.getLogger(OidcResource.class.getName());
    /**
     * Ties a sign-in's callback to the browser that started it; only ever sent to this resource's paths. Lax, so
     * that the provider's redirect back (a top-level GET from another site) carries it; Secure behind HTTPS.
     */
    static final String BROWSER_COOKIE = "confab_signin";
    static final String CALLBACK = "/api/v1/auth/oidc/callback";

    private final CompanySignIn signIn;
    private final SignInMethods methods;
    private final PublicLinks links;
    private final ClientAddress clientAddress;

    @Context
    private HttpServletRequest request;

    /** JAX-RS wants a public constructor it could call (spec 3.1.2; RESTEasy checks); CDI uses the one below. */
    public OidcResource() {
        this(null, null, null, null);
    }

    @Inject
    public OidcResource(CompanySignIn signIn, SignInMethods methods, PublicLinks links,
                        ClientAddress clientAddress) {
        this.signIn = signIn;
        this.methods = methods;
        this.links = links;
        this.clientAddress = clientAddress;
    }

    /** The "Sign in with …" button: off to the provider (303), with this browser's sign-in cookie. */
    @GET
    @Path("start")
    @PermitAll
    public Response start(@QueryParam("next") String next, @CookieParam(BROWSER_COOKIE) String browser) {
        try {
            CompanySignIn.Started started = signIn.start(Optional.ofNullable(next), Optional.ofNullable(browser),
                    redirectUri(), clientAddress.of(request));
            return Response.seeOther(started.authorizationRequest()).cookie(browserCookie(started.browserSecret()))
                    .build();
        } catch (SignInFailure failure) {
            return errorPage(failure);
        }
    }

    /** Where the provider sends the browser back: to the sign-in page with a one-time hand-off code (303). */
    @GET
    @Path("callback")
    @PermitAll
    public Response callback(@QueryParam("code") String code, @QueryParam("state") String state,
                             @QueryParam("error") String error, @CookieParam(BROWSER_COOKIE) String browser) {
        try {
            CompanySignIn.Finished finished = signIn.finish(Optional.ofNullable(code), Optional.ofNullable(state),
                    Optional.ofNullable(error), Optional.ofNullable(browser), redirectUri());
            return Response.seeOther(URI.create(links.absolute("/signin") + "#handoff=" + finished.handoff())).build();
        } catch (SignInFailure failure) {
            return errorPage(failure);
        }
    }

    /** The sign-in page's half: the hand-off code (and this browser's cookie) for a Confab session. */
    @POST
    @Path("session")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CompanyLoginResponse session(JsonValue body, @CookieParam(BROWSER_COOKIE) String browser) {
        CompanySignIn.SignedIn signedIn = signIn.redeem(JsonInput.of(body).requiredString("handoff"),
                Optional.ofNullable(browser));
        return new CompanyLoginResponse(signedIn.token().token(), signedIn.token().expiresAt(),
                UserView.of(signedIn.user(), methods), signedIn.next());
    }

    /**
     * OpenID Connect Back-Channel Logout: the provider posts a logout token when someone's session there ends
     * (sign-out, an administrator's logout, a disabled account). 200 once their Confab sessions are over; 400 with
     * a JSON error for a token that does not check out.
     */
    @POST
    @Path("backchannel-logout")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response backChannelLogout(@FormParam("logout_token") String logoutToken) {
        if (logoutToken == null || logoutToken.isBlank()) {
            throw dev.confab.common.ApiException.badRequest("invalid_request", "logout_token is required");
        }
        signIn.backChannelLogout(logoutToken);
        return Response.ok().build();
    }

    private URI redirectUri() {
        return URI.create(links.absolute(CALLBACK));
    }

    private NewCookie browserCookie(String value) {
        return new NewCookie.Builder(BROWSER_COOKIE).value(value).path(request.getContextPath() + "/api/v1/auth/oidc")
                .httpOnly(true).secure(links.https()).sameSite(NewCookie.SameSite.LAX)
                .maxAge((int) CompanySignIn.PENDING_TTL.toSeconds()).build();
    }

    private Response errorPage(SignInFailure failure) {
        LOG.warning(() -> "Company sign-in failed: " + failure.code() + ": " + failure.detail());
        Response.ResponseBuilder page = Response.status(failure.status())
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(SignInPages.error(failure));
        if (failure.retryAfterSeconds() > 0) {
            page.header("Retry-After", failure.retryAfterSeconds());
        }
        return page.build();
    }
}
