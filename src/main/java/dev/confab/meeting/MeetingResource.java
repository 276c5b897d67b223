package dev.confab.meeting;

import dev.confab.auth.Accounts;
import dev.confab.auth.User;
import dev.confab.common.ApiException;
import dev.confab.token.CurrentCaller;
import dev.confab.token.Roles;
import dev.confab.token.TokenKind;
import dev.confab.token.VerifiedToken;
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
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.util.Optional;

/** {@code /api/v1/meetings}: create, look up, join, end. */
@Path("meetings")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MeetingResource {

    private final Meetings meetings;
    private final Accounts accounts;
    private final CurrentCaller caller;
    private final PublicLinks links;

    @Context
    private UriInfo uriInfo;

    /** JAX-RS wants a public constructor it could call (spec 3.1.2; RESTEasy checks); CDI uses the one below. */
    public MeetingResource() {
        this(null, null, null, null);
    }

    @Inject
    public MeetingResource(Meetings meetings, Accounts accounts, CurrentCaller caller, PublicLinks links) {
        this.meetings = meetings;
        this.accounts = accounts;
        this.caller = caller;
        this.links = links;
    }

    @POST
    @RolesAllowed(Roles.USER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonValue body) {
        User host = signedInUser(caller.session());
        JsonInput in = JsonInput.orEmpty(body);
        Meeting meeting = meetings.create(host, in.optionalString("title"), in.optionalBoolean("lobby").orElse(false),
                in.optionalString("access").orElse(Meeting.ANYONE));
        return Response.created(uriInfo.getAbsolutePathBuilder().path(meeting.code()).build())
                .entity(MeetingViews.Created.of(meeting, links.meeting(meeting.code())))
                .build();
    }

    @GET
    @Path("{code}")
    @PermitAll
    public MeetingViews.Public get(@PathParam("code") String code) {
        return MeetingViews.Public.of(meetings.find(code));
    }

    @POST
    @Path("{code}/participants")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response join(@PathParam("code") String code, JsonValue body) {
        JsonInput in = JsonInput.of(body);
        Optional<VerifiedToken> session = caller.optional();
        if (session.isPresent() && session.get().kind() != TokenKind.SESSION) {
            throw ApiException.insufficientScope("Join with a session token or none");
        }
        Optional<User> user = session.map(this::signedInUser);
        Meetings.Joined joined = meetings.join(code, in.optionalString("displayName"), user,
                in.optionalString("guestKey"), session.map(VerifiedToken::providerSession).orElse(null));
        return Response.status(Response.Status.CREATED).entity(MeetingViews.Joined.of(joined)).build();
    }

    @POST
    @Path("{code}/end")
    @RolesAllowed(Roles.USER)
    public Response end(@PathParam("code") String code) {
        meetings.end(code, caller.session().userId());
        return Response.noContent().build();
    }

    private User signedInUser(VerifiedToken token) {
        return accounts.find(token.userId())
                .orElseThrow(() -> ApiException.unauthorized("The account of this token no longer exists"));
    }
}
