package dev.confab.signaling;

import dev.confab.meeting.MeetingCodes;
import dev.confab.web.AllowedOrigins;
import dev.confab.web.ClientAddress;
import jakarta.inject.Inject;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * Vets a meeting socket's opening handshake before the container upgrades it, answering refusals as plain HTTP
 * with a JSON body:
 * <ul>
 *   <li>403 {@code origin_denied}: a browser page of another site (its {@code Origin} is neither Confab's own nor
 *       in {@code confab.cors.allowed-origins}) may not open a socket in the user's name. Clients that are not
 *       browsers send no {@code Origin}; they still need a participant token to join.</li>
 *   <li>404 {@code meeting_not_found}: the path's meeting code is malformed.</li>
 *   <li>429 {@code too_many_connections} / 503 {@code busy}: this client address, or the whole server, already
 *       holds as many sockets that have not joined as it may ({@link UnjoinedSockets}).</li>
 * </ul>
 * A servlet filter, not only the endpoint's configurator, because the portable WebSocket API can neither refuse a
 * handshake with a status of its choosing nor tell the client's address; the filter hands that address on to the
 * endpoint in a request header of its own ({@link #ADDRESS_HEADER}, always overwritten here, so a client cannot
 * choose it), which {@link Configurator} copies into the session's properties.
 */
@WebFilter(urlPatterns = "/ws/*", asyncSupported = true)
public class HandshakeGuard extends HttpFilter {

    static final String ADDRESS_HEADER = "Confab-Client-Address";
    private static final String ADDRESS_PROPERTY = "dev.confab.clientAddress";
    private static final String PREFIX = "/ws/meetings/";
    private static final JsonProvider JSON = JsonProvider.provider();

    @Inject
    AllowedOrigins origins;

    @Inject
    ClientAddress clientAddress;

    @Inject
    UnjoinedSockets unjoined;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith(PREFIX) && !MeetingCodes.wellFormed(path.substring(PREFIX.length()))) {
            refuse(response, 404, "meeting_not_found", "No meeting has this code");
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && !origins.allows(origin, request.getHeader("Host"))) {
            refuse(response, 403, "origin_denied", "Pages of this origin may not open Confab's meeting sockets");
            return;
        }
        String address = clientAddress.of(request);
        UnjoinedSockets.Refusal refusal = unjoined.refusal(address);
        if (refusal != null) {
            response.setHeader("Retry-After", "1");
            if (refusal == UnjoinedSockets.Refusal.SERVER_FULL) {
                refuse(response, 503, "busy", "The server holds too many connections that have not joined; try again");
            } else {
                refuse(response, 429, "too_many_connections",
                        "Too many connections from this address that have not joined yet");
            }
            return;
        }
        chain.doFilter(new AddressedRequest(request, address), response);
    }

    private static void refuse(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.createObjectBuilder().add("error", code).add("message", message).build()
                .toString());
    }

    /** The address {@link HandshakeGuard} found for this session ("unknown" if the guard did not run). */
    static String clientAddress(Map<String, Object> sessionProperties) {
        return sessionProperties.getOrDefault(ADDRESS_PROPERTY, "unknown").toString();
    }

    /** The request as the container sees it, with the client's address in {@link #ADDRESS_HEADER}. */
    private static final class AddressedRequest extends HttpServletRequestWrapper {
        private final String address;

        AddressedRequest(HttpServletRequest request, String address) {
            super(request);
            this.address = address;
        }

        @Override
        public String getHeader(String name) {
            return ADDRESS_HEADER.equalsIgnoreCase(name) ? address : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return ADDRESS_HEADER.equalsIgnoreCase(name) ? Collections.enumeration(List.of(address))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.removeIf(ADDRESS_HEADER::equalsIgnoreCase);
            names.add(ADDRESS_HEADER);
            return Collections.enumeration(names);
        }
    }

    /**
     * Copies the client address into the new session's properties (Jakarta WebSocket 2.1: the session starts
     * with a copy of the properties as {@code modifyHandshake} leaves them).
     */
    public static final class Configurator extends ServerEndpointConfig.Configurator {
        @Override
        public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request, HandshakeResponse response) {
            super.modifyHandshake(config, request, response);
            for (Map.Entry<String, List<String>> header : request.getHeaders().entrySet()) {
                if (ADDRESS_HEADER.equalsIgnoreCase(header.getKey()) && !header.getValue().isEmpty()) {
                    config.getUserProperties().put(ADDRESS_PROPERTY, header.getValue().get(0));
                }
            }
        }
    }
}
