package dev.confab.web;

/** Every error of the API: {@code {"error": "<machine_code>", "message": "…"}}. */
public record ErrorBody(String error, String message) {
}
