package dev.confab.web;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;


/**
 * CORS for the API from an explicit allow-list ({@code confab.cors.allowed-origins}); {@code *} is never honoured.
 * An allowed origin's preflight is answered here; any other origin gets no CORS headers at all.
 */
@Provider
@ApplicationScoped
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class CorsFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String METHODS = "GET, POST, PUT, DELETE, OPTIONS";
    private static final String HEADERS = "Authorization, Content-Type";
    private static final String MAX_AGE = "600";

    private final AllowedOrigins origins;

    /** JAX-RS wants a public constructor it could call (spec 3.1.2; RESTEasy checks); CDI uses the one below. */
    public CorsFilter() {
        this(null);
    }

    @Inject
    public CorsFilter(AllowedOrigins origins) {
        this.origins = origins;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String origin = request.getHeaderString("Origin");
        boolean preflight = "OPTIONS".equals(request.getMethod())
                && request.getHeaderString("Access-Control-Request-Method") != null;
        if (!preflight || origin == null) {
            return;
        }
        if (!origins.isListed(origin)) {
            request.abortWith(Errors.response(403, "cors_origin_denied", "This origin may not call the API"));
            return;
        }
        request.abortWith(Response.noContent()
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Allow-Methods", METHODS)
                .header("Access-Control-Allow-Headers", HEADERS)
                .header("Access-Control-Max-Age", MAX_AGE)
                .header("Vary", "Origin")
                .build());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String origin = request.getHeaderString("Origin");
        if (origin == null || !origins.isListed(origin)) {
            return;
        }
        var headers = response.getHeaders();
        headers.putSingle("Access-Control-Allow-Origin", origin);
        headers.putSingle("Access-Control-Expose-Headers", "Location, WWW-Authenticate");
        headers.add("Vary", "Origin");
    }
}
