package dev.confab.auth;

import dev.confab.common.ApiException;
import dev.confab.token.CurrentCaller;
import dev.confab.token.IssuedToken;
import dev.confab.token.Roles;
import dev.confab.token.Tokens;
import dev.confab.token.VerifiedToken;
import dev.confab.web.ClientAddress;
import dev.confab.web.JsonInput;
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

/** {@code /api/v1/auth}: register, log in, log out, who am I. */
@Path("auth")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    private final Accounts accounts;
    private final Tokens tokens;
    private final CurrentCaller caller;
    private final ClientAddress clientAddress;

    @Context
    private HttpServletRequest request;

    /** JAX-RS wants a public constructor it could call (spec 3.1.2; RESTEasy checks); CDI uses the one below. */
    public AuthResource() {
        this(null, null, null, null);
    }

    @Inject
    public AuthResource(Accounts accounts, Tokens tokens, CurrentCaller caller, ClientAddress clientAddress) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.caller = caller;
        this.clientAddress = clientAddress;
    }

    @POST
    @Path("register")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(JsonValue body) {
        JsonInput in = JsonInput.of(body);
        User user = accounts.register(in.requiredString("username"), in.requiredString("password"),
                in.optionalString("displayName"), clientAddress.of(request));
        return Response.status(Response.Status.CREATED).entity(UserView.of(user)).build();
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
        return new LoginResponse(token.token(), token.expiresAt(), UserView.of(user));
    }

    @POST
    @Path("logout")
    @RolesAllowed(Roles.USER)
    public Response logout() {
        tokens.revoke(caller.session());
        return Response.noContent().build();
    }

    @GET
    @Path("me")
    @RolesAllowed(Roles.USER)
    public UserView me() {
        VerifiedToken session = caller.session();
        return accounts.find(session.userId()).map(UserView::of)
                .orElseThrow(() -> ApiException.unauthorized("The account of this token no longer exists"));
    }
}
