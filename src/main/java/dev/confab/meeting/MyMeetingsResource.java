package dev.confab.meeting;

import dev.confab.common.ApiException;
import dev.confab.token.CurrentCaller;
import dev.confab.token.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/** {@code /api/v1/me/meetings}: the signed-in user's meetings, hosted or joined, newest first. */
@Path("me/meetings")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MyMeetingsResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final Meetings meetings;
    private final CurrentCaller caller;

    /** JAX-RS wants a public constructor it could call (spec 3.1.2; RESTEasy checks); CDI uses the one below. */
    public MyMeetingsResource() {
        this(null, null);
    }

    @Inject
    public MyMeetingsResource(Meetings meetings, CurrentCaller caller) {
        this.meetings = meetings;
        this.caller = caller;
    }

    /**
     * @param limit  1-100, default 20
     * @param before an ISO-8601 instant: only entries joined before it (the last {@code joinedAt} of a page)
     */
    @GET
    @RolesAllowed(Roles.USER)
    public List<HistoryEntry> history(@QueryParam("limit") String limit, @QueryParam("before") String before) {
        return meetings.history(caller.session().userId(), parseBefore(before), parseLimit(limit));
    }

    static int parseLimit(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the refusal below
        }
        throw ApiException.badRequest("invalid_limit", "limit must be an integer from 1 to " + MAX_LIMIT);
    }

    static Optional<Instant> parseBefore(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(raw));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid_before", "before must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z");
        }
    }
}
