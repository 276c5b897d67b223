package dev.confab.web;

/**
 * Every error of the API: {@code {"error": "<machine_code>", "message": "…"}}, and for a 429 also
 * {@code "retryAfterSeconds"} (the same as the {@code Retry-After} header; absent otherwise).
 */
public record ErrorBody(String error, String message, Long retryAfterSeconds) {
}
