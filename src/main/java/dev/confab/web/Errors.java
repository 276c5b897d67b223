package dev.confab.web;

import dev.confab.common.ApiException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds the JSON error responses. */
public final class Errors {

    static final String WWW_AUTHENTICATE = "Bearer realm=\"confab\"";

    private Errors() {
    }

    public static Response response(ApiException e) {
        if (e.retryAfterMillis() > 0) {
            return Response.status(e.status())
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
                    .entity(new ErrorBody(e.code(), e.getMessage(), e.retryAfterSeconds()))
                    .build();
        }
        return response(e.status(), e.code(), e.getMessage());
    }

    public static Response response(int status, String code, String message) {
        Response.ResponseBuilder builder = Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody(code, message, null));
        if (status == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, WWW_AUTHENTICATE);
        }
        return builder.build();
    }
}
