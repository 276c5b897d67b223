package dev.confab.common;

/**
 * A refusal a caller can act on: HTTP status, a stable machine-readable code and a human message.
 * Services throw it; the web layer renders it as {@code {"error": code, "message": message}}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false); // an expected outcome: no stack trace needed
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "unauthorized", message);
    }

    /** A bearer token was sent but is malformed, unknown, expired or revoked. */
    public static ApiException invalidToken() {
        return new ApiException(401, "invalid_token", "The bearer token is invalid, expired or revoked");
    }

    /** A live token of a kind that does not open this resource (RFC 6750's insufficient_scope). */
    public static ApiException insufficientScope(String message) {
        return new ApiException(403, "insufficient_scope", message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    public static ApiException gone(String code, String message) {
        return new ApiException(410, code, message);
    }
}
