package dev.confab.web;

import dev.confab.common.ApiException;
import dev.confab.token.CurrentCaller;
import jakarta.annotation.Priority;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.ext.Provider;

import java.util.List;

/**
 * Enforces {@code @RolesAllowed} on resource methods with the API's semantics: no or bad token → 401 with
 * {@code WWW-Authenticate: Bearer}; a valid token of the wrong kind (e.g. a participant token on the account
 * API) → 403. (Servlet request attributes are visible as JAX-RS request properties.)
 */
@Provider
public class AuthorizationFeature implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        RolesAllowed roles = resourceInfo.getResourceMethod().getAnnotation(RolesAllowed.class);
        if (roles == null) {
            roles = resourceInfo.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        if (roles != null) {
            context.register(new RolesFilter(List.of(roles.value())), Priorities.AUTHORIZATION - 10);
        }
    }

    // Ahead of Payara's own @RolesAllowed filter, so these answers (and codes) are the ones clients see.
    @Priority(Priorities.AUTHORIZATION - 10)
    static final class RolesFilter implements ContainerRequestFilter {

        private final List<String> roles;

        RolesFilter(List<String> roles) {
            this.roles = roles;
        }

        @Override
        public void filter(ContainerRequestContext context) {
            if (Boolean.TRUE.equals(context.getProperty(CurrentCaller.AUTH_FAILED))) {
                context.abortWith(Errors.response(ApiException.invalidToken()));
                return;
            }
            var security = context.getSecurityContext();
            if (security.getUserPrincipal() == null) {
                context.abortWith(Errors.response(401, "unauthorized",
                        "Sign in and send the token as 'Authorization: Bearer <token>'"));
                return;
            }
            if (roles.stream().noneMatch(security::isUserInRole)) {
                context.abortWith(Errors.response(
                        ApiException.insufficientScope("This token does not grant access to this resource")));
            }
        }
    }
}
