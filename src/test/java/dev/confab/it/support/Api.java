package dev.confab.it.support;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A small HTTP client for Confab's REST API, as a third-party client would call it. */
public final class Api {

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String clientAddress;

    /**
     * A client of its own: its requests say (in {@code X-Forwarded-For}) that they come from a random private
     * address, which Confab believes only where the test server trusts 127.0.0.1 as a proxy
     * ({@code confab.http.trusted-proxies}, arquillian.xml). So each test's throttles (sign-ins, registrations,
     * connections per address) start afresh, while a test of those throttles picks its address with
     * {@link #Api(URI, String)}.
     */
    public Api(URI base) {
        this(base, randomPrivateAddress());
    }

    public Api(URI base, String clientAddress) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.clientAddress = clientAddress;
    }

    public static String randomPrivateAddress() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    public String clientAddress() {
        return clientAddress;
    }

    public URI base() {
        return base;
    }

    public Reply get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    public Reply post(String path, String json, String token) {
        HttpRequest.Builder builder = request(path, token);
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return send(builder.POST(json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("X-Forwarded-For", clientAddress);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    // ---- flows used by many tests ----

    public static String uniqueUsername(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers and logs in a new user; returns the login reply body. */
    public JsonObject newUser(String prefix) {
        String username = uniqueUsername(prefix);
        post("api/v1/auth/register", json(Map.of("username", username, "password", "correct horse", "displayName", prefix)), null)
                .expect(201);
        return login(username, "correct horse");
    }

    public JsonObject login(String username, String password) {
        return post("api/v1/auth/login", json(Map.of("username", username, "password", password)), null)
                .expect(200).object();
    }

    public static String json(Map<String, ?> fields) {
        var builder = Json.createObjectBuilder();
        fields.forEach((k, v) -> {
            if (v instanceof String s) {
                builder.add(k, s);
            } else if (v instanceof Integer i) {
                builder.add(k, i);
            } else if (v instanceof Boolean b) {
                builder.add(k, b);
            } else if (v instanceof JsonValue j) {
                builder.add(k, j);
            } else {
                throw new IllegalArgumentException(k);
            }
        });
        return builder.build().toString();
    }

    /** An HTTP answer. */
    public record Reply(int status, Map<String, java.util.List<String>> headers, String body) {

        public Reply expect(int expected) {
            if (status != expected) {
                throw new AssertionError("Expected HTTP " + expected + " but got " + status + ": " + body);
            }
            return this;
        }

        public JsonObject object() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        public JsonArray array() {
            return Json.createReader(new StringReader(body)).readArray();
        }

        /** The {@code error} code of a JSON error body. */
        public String error() {
            return object().getString("error");
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public String contentType() {
            return header("Content-Type");
        }
    }
}
