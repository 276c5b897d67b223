package dev.confab.web;

import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.Map;

/** JAX-RS's own refusals (unknown path, wrong method, wrong media type…) in the API's JSON error shape. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    private static final Map<Integer, String> CODES = Map.of(
            400, "bad_request",
            401, "unauthorized",
            403, "forbidden",
            404, "not_found",
            405, "method_not_allowed",
            406, "not_acceptable",
            413, "payload_too_large",
            415, "unsupported_media_type");

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        if (status == 400 && causedByJson(e)) {
            return Errors.response(400, "invalid_json", "The request body is not valid JSON");
        }
        String code = CODES.getOrDefault(status, "http_" + status);
        Response response = Errors.response(status, code, message(status, e));
        if (original.getHeaders().containsKey("Allow")) {
            return Response.fromResponse(response).header("Allow", original.getHeaderString("Allow")).build();
        }
        return response;
    }

    private static boolean causedByJson(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonException || t instanceof JsonbException) {
                return true;
            }
        }
        return false;
    }

    private static String message(int status, WebApplicationException e) {
        return switch (status) {
            case 401 -> "Sign in and send the token as 'Authorization: Bearer <token>'";
            case 403 -> "This token does not grant access to this resource";
            case 404 -> "No such resource";
            case 405 -> "This method is not allowed here";
            case 415 -> "Send the body as application/json";
            case 406 -> "This resource answers application/json";
            default -> e.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase() : e.getMessage();
        };
    }
}
