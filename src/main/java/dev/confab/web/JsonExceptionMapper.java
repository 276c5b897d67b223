package dev.confab.web;

import jakarta.json.JsonException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A body that does not parse as JSON (the JSON-P reader throws this). */
@Provider
public class JsonExceptionMapper implements ExceptionMapper<JsonException> {

    @Override
    public Response toResponse(JsonException e) {
        return Errors.response(400, "invalid_json", "The request body is not valid JSON");
    }
}
