package dev.confab.ice;

import dev.confab.common.ApiException;
import dev.confab.meeting.Meeting;
import dev.confab.meeting.Meetings;
import dev.confab.throttle.Throttles;
import dev.confab.web.ClientAddress;
import dev.confab.web.JsonInput;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import java.time.Clock;
import java.util.List;

/**
 * {@code POST /api/v1/ice/check}: the ICE servers a pre-join page gathers candidates with, to tell its user which
 * paths media can take from their network. Only for an open meeting's code (what an invite link gives anyway), a
 * few per minute per address, with short-lived TURN credentials.
 */
@Path("ice")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionCheckResource {

    /** Generous: a whole office may sit behind one address; a check costs an HMAC. */
    private static final Throttles.Bucket CHECKS = new Throttles.Bucket(30, 1);

    /** What the page needs: the servers, whether relays are the only path, and the TURN transports offered. */
    public record Check(List<IceServer> iceServers, String iceTransportPolicy, boolean turn) {
    }

    private final IceServers iceServers;
    private final Meetings meetings;
    private final Throttles throttles;
    private final ClientAddress clientAddress;
    private final Clock clock;

    @Context
    private HttpServletRequest request;

    /** JAX-RS wants a public constructor it could call; CDI uses the one below. */
    public ConnectionCheckResource() {
        this(null, null, null, null, null);
    }

    @Inject
    public ConnectionCheckResource(IceServers iceServers, Meetings meetings, Throttles throttles,
                                   ClientAddress clientAddress, Clock clock) {
        this.iceServers = iceServers;
        this.meetings = meetings;
        this.throttles = throttles;
        this.clientAddress = clientAddress;
        this.clock = clock;
    }

    @POST
    @Path("check")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Check check(JsonValue body) {
        String code = JsonInput.of(body).requiredString("meeting");
        Meeting meeting = meetings.find(code);
        if (!meeting.isOpen()) {
            throw ApiException.gone("meeting_ended", "This meeting has ended");
        }
        long wait = throttles.take("ice-check:" + clientAddress.of(request), CHECKS, clock.millis());
        if (wait > 0) {
            throw ApiException.tooManyRequests("too_many_checks", "Too many connection checks; try again shortly", wait);
        }
        IceConfig config = iceServers.forConnectionCheck();
        boolean turn = config.servers().stream().anyMatch(s -> s.username() != null);
        return new Check(config.servers(), config.transportPolicy(), turn);
    }
}
