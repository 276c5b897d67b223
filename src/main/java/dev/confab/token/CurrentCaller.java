package dev.confab.token;

import dev.confab.common.ApiException;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

import java.util.Optional;

/** The token the current request was authenticated with, as left by {@link BearerAuthenticationMechanism}. */
@RequestScoped
public class CurrentCaller {

    static final String TOKEN = "dev.confab.token.verified";
    public static final String AUTH_FAILED = "dev.confab.token.failed";

    private final HttpServletRequest request;

    protected CurrentCaller() {
        this(null);
    }

    @Inject
    public CurrentCaller(HttpServletRequest request) {
        this.request = request;
    }

    /** The caller's token when one was sent; a token that was sent but is not valid is refused (401). */
    public Optional<VerifiedToken> optional() {
        if (Boolean.TRUE.equals(request.getAttribute(AUTH_FAILED))) {
            throw ApiException.invalidToken();
        }
        return Optional.ofNullable((VerifiedToken) request.getAttribute(TOKEN));
    }

    /** The caller's session token; {@code @RolesAllowed(Roles.USER)} has already made sure there is one. */
    public VerifiedToken session() {
        return optional().filter(t -> t.kind() == TokenKind.SESSION)
                .orElseThrow(() -> ApiException.unauthorized("A signed-in session is required"));
    }
}
