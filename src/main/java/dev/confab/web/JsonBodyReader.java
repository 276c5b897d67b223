package dev.confab.web;

import dev.confab.common.ApiException;
import jakarta.annotation.Priority;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Reads JSON request bodies into {@link JsonValue}s, answering every body the parser cannot take with 400
 * {@code invalid_json}. The platform's own reader lets Parsson's plain {@code RuntimeException} for input nested
 * deeper than 1 000 levels through as a 500.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
@Priority(Priorities.USER - 100) // before the platform's own JSON-P reader
public class JsonBodyReader implements MessageBodyReader<JsonValue> {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return JsonValue.class.isAssignableFrom(type);
    }

    @Override
    public JsonValue readFrom(Class<JsonValue> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                              MultivaluedMap<String, String> headers, InputStream body) {
        try (JsonReader reader = JSON.createReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            return reader.readValue();
        } catch (jakarta.ws.rs.WebApplicationException tooLarge) { // the body limit's 413, raised while reading
            throw tooLarge;
        } catch (RuntimeException e) {
            if (e.getCause() instanceof jakarta.ws.rs.WebApplicationException limit) {
                throw limit;
            }
            throw ApiException.badRequest("invalid_json", "The request body is not valid JSON (or nested too deeply)");
        }
    }
}
