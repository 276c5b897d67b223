package dev.confab.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.CallerPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.Optional;
import java.util.Set;

/**
 * Jakarta Security mechanism for {@code Authorization: Bearer <token>}. A valid token logs the caller in with the
 * role of its kind. A bad one is not answered here: the request is marked and the JAX-RS layer answers it with
 * a JSON 401, so every error of the API has one shape.
 */
@ApplicationScoped
public class BearerAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "bearer ";

    private final Tokens tokens;

    protected BearerAuthenticationMechanism() {
        this(null);
    }

    @Inject
    public BearerAuthenticationMechanism(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String header = request.getHeader("Authorization");
        if (header == null) {
            return context.doNothing();
        }
        Optional<VerifiedToken> verified = bearerToken(header).flatMap(tokens::verify);
        if (verified.isEmpty()) {
            request.setAttribute(CurrentCaller.AUTH_FAILED, Boolean.TRUE);
            return context.doNothing();
        }
        VerifiedToken token = verified.get();
        request.setAttribute(CurrentCaller.TOKEN, token);
        return context.notifyContainerAboutLogin(new CallerPrincipal(token.principalName()),
                Set.of(token.kind().role()));
    }

    static Optional<String> bearerToken(String header) {
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return Optional.of(header.substring(BEARER.length()).trim());
    }
}
