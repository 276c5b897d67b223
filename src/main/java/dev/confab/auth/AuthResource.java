package dev.confab.auth;

import dev.confab.common.ApiException;
import dev.confab.token.CurrentCaller;
import dev.confab.token.IssuedToken;
import dev.confab.token.Roles;
import dev.confab.token.Tokens;
import dev.confab.token.VerifiedToken;
import dev.confab.web.ClientAddress;
import dev.confab.web.JsonInput;
import dev.confab.web.PublicLinks;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** {@code /api/v1/auth}: how one may sign in, register, log in, log out, who am I. */
@Path("auth")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final Accounts accounts;
    private final Tokens tokens;
    private final CurrentCaller caller;
    private final ClientAddress clientAddress;
    private final SignInMethods methods;
    private final ProviderSignOut providerSignOut;
    private final PublicLinks links;

    @Context
    private HttpServletRequest request;

    /** JAX-RS wants a public constructor it could call (spec 3.1.2; RESTEasy checks); CDI uses the one below. */
    public AuthResource() {
        this(null, null, null, null, null, null, null);
    }

    @Inject
    public AuthResource(Accounts accounts, Tokens tokens, CurrentCaller caller, ClientAddress clientAddress,
                        SignInMethods methods, ProviderSignOut providerSignOut, PublicLinks links) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.caller = caller;
        this.clientAddress = clientAddress;
        this.methods = methods;
        this.providerSignOut = providerSignOut;
        this.links = links;
    }

    /** What the sign-in page offers: usernames and passwords, the company's provider, or both. */
    @GET
    @Path("methods")
    @PermitAll
    public SignInMethodsView methods() {
        return new SignInMethodsView(methods.localAccounts(), methods.company()
                ? new SignInMethodsView.Company(methods.companyLabel(), "/api/v1/auth/oidc/start") : null);
    }

    @POST
    @Path("register")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(JsonValue body) {
        JsonInput in = JsonInput.of(body);
        User user = accounts.register(in.requiredString("username"), in.requiredString("password"),
                in.optionalString("displayName"), clientAddress.of(request));
        return Response.status(Response.Status.CREATED).entity(view(user)).build();
    }

    @POST
    @Path("login")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public LoginResponse login(JsonValue body) {
        JsonInput in = JsonInput.of(body);
        User user = accounts.authenticate(in.requiredString("username"), in.requiredString("password"),
                clientAddress.of(request));
        IssuedToken token = tokens.issueSession(user.id());
        return new LoginResponse(token.token(), token.expiresAt(), view(user));
    }

    @POST
    @Path("logout")
    @RolesAllowed(Roles.USER)
    public Response logout() {
        VerifiedToken session = caller.session();
        Optional<URI> atProvider = providerSignOut.after(session, URI.create(links.absolute("/")));
        tokens.revoke(session);
        return atProvider.map(uri -> Response.ok(Map.of("providerLogout", uri.toString())).build())
                .orElseGet(() -> Response.noContent().build());
    }

    @GET
    @Path("me")
    @RolesAllowed(Roles.USER)
    public UserView me() {
        VerifiedToken session = caller.session();
        return accounts.find(session.userId()).map(this::view)
                .orElseThrow(() -> ApiException.unauthorized("The account of this token no longer exists"));
    }

    private UserView view(User user) {
        return UserView.of(user, methods);
    }
}
