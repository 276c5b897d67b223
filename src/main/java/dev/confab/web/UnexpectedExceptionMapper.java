package dev.confab.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Anything unforeseen: logged with an incident id, answered as a JSON 500 that leaks no internals. */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<RuntimeException> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Override
    public Response toResponse(RuntimeException e) {
        if (fromTheJsonParser(e)) {
            // Parsson refuses input nested past 1 000 levels with a plain RuntimeException, not a JsonException
            return Errors.response(400, "invalid_json", "The request body is not valid JSON (or nested too deeply)");
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Unexpected error, incident " + incident, e);
        return Errors.response(500, "internal_error", "Something went wrong (incident " + incident + ")");
    }

    private static boolean fromTheJsonParser(RuntimeException e) {
        StackTraceElement[] trace = e.getStackTrace();
        return e.getClass() == RuntimeException.class && trace.length > 0
                && trace[0].getClassName().startsWith("org.eclipse.parsson.JsonParserImpl");
    }
}
