package dev.confab.common;

/**
 * A refusal a caller can act on: HTTP status, a stable machine-readable code and a human message.
 * Services throw it; the web layer renders it as {@code {"error": code, "message": message}}.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final long retryAfterMillis;

    public ApiException(int status, String code, String message) {
        this(status, code, message, 0);
    }

    private ApiException(int status, String code, String message, long retryAfterMillis) {
        super(message, null, false, false); // an expected outcome: no stack trace needed
        this.status = status;
        this.code = code;
        this.retryAfterMillis = retryAfterMillis;
    }

    /** 429: slow down; the answer says when to try again (HTTP {@code Retry-After}, in whole seconds). */
    public static ApiException tooManyRequests(String code, String message, long retryAfterMillis) {
        return new ApiException(429, code, message, Math.max(1, retryAfterMillis));
    }

    /** When the caller may try again, in ms; 0 when the refusal is not about timing. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }

    /** {@link #retryAfterMillis()} rounded up to whole seconds, as HTTP's {@code Retry-After} wants them. */
    public long retryAfterSeconds() {
        return (retryAfterMillis + 999) / 1000;
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
