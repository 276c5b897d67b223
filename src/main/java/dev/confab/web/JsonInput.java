package dev.confab.web;

import dev.confab.common.ApiException;
import dev.confab.common.Unicode;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Optional;

/**
 * Strict reading of a JSON request body: a field that should be a string must be a JSON string. Objects such
 * as {@code {"$ne": null}} are refused here, so no operator can reach a store query.
 */
public final class JsonInput {

    private final JsonObject body;

    private JsonInput(JsonObject body) {
        this.body = body;
    }

    public static JsonInput of(JsonValue body) {
        if (body instanceof JsonObject object) {
            requireWellFormed(object);
            return new JsonInput(object);
        }
        throw ApiException.badRequest("invalid_json", "A JSON object is required as the request body");
    }

    public static JsonInput of(JsonObject body) {
        return new JsonInput(body);
    }

    /**
     * Refuses (400 {@code invalid_text}) a value holding a string or a key that is not well-formed UTF-16: a lone
     * surrogate from a {@code \\uD800}-style escape can be stored but never written out again as UTF-8, so it
     * would break every reply or message that carries it.
     */
    public static void requireWellFormed(JsonValue value) {
        if (!wellFormed(value)) {
            throw ApiException.badRequest("invalid_text", "Text must be valid Unicode (no lone surrogates)");
        }
    }

    private static boolean wellFormed(JsonValue value) {
        if (value instanceof JsonString string) {
            return Unicode.isWellFormed(string.getChars());
        }
        if (value instanceof JsonObject object) {
            for (var entry : object.entrySet()) {
                if (!Unicode.isWellFormed(entry.getKey()) || !wellFormed(entry.getValue())) {
                    return false;
                }
            }
        } else if (value instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (!wellFormed(item)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** An empty object stands in for a missing body, where the body is optional. */
    public static JsonInput orEmpty(JsonValue body) {
        return body == null || body.getValueType() == JsonValue.ValueType.NULL ? new JsonInput(JsonValue.EMPTY_JSON_OBJECT) : of(body);
    }

    public String requiredString(String field) {
        return optionalString(field)
                .orElseThrow(() -> ApiException.badRequest("missing_field", field + " is required"));
    }

    public boolean requiredBoolean(String field) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw ApiException.badRequest("missing_field", field + " is required");
        }
        if (value.getValueType() == JsonValue.ValueType.TRUE || value.getValueType() == JsonValue.ValueType.FALSE) {
            return value.getValueType() == JsonValue.ValueType.TRUE;
        }
        throw ApiException.badRequest("invalid_field", field + " must be true or false");
    }

    public Optional<Boolean> optionalBoolean(String field) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        return Optional.of(requiredBoolean(field));
    }

    public JsonObject requiredObject(String field) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            throw ApiException.badRequest("missing_field", field + " is required");
        }
        if (value instanceof JsonObject object) {
            return object;
        }
        throw ApiException.badRequest("invalid_field", field + " must be an object");
    }

    public Optional<String> optionalString(String field) {
        JsonValue value = body.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (value instanceof JsonString string) {
            return Optional.of(string.getString());
        }
        throw ApiException.badRequest("invalid_field", field + " must be a string");
    }
}
