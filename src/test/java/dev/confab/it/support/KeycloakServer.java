package dev.confab.it.support;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real OpenID Connect provider for the sign-in tests: Keycloak's own distribution (unpacked from Maven Central by
 * pom.xml into {@code keycloak.home}), {@code kc.sh start-dev} on the machine's newest JDK, on 127.0.0.1, with an
 * in-memory database and a realm imported from a file of the test resources. Its public address
 * ({@code --hostname}) is the {@link ProviderProxy} in front of it, so that every URL it hands out (to the browser
 * and to Confab) goes through the proxy. Stopped by its own PID (and its JVM's, a child of {@code kc.sh}).
 */
public final class KeycloakServer implements AutoCloseable {

    public static final String REALM = "confab";

    private final Process process;
    private final URI direct;
    private final URI publicUrl;
    private final String adminPassword;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private KeycloakServer(Process process, URI direct, URI publicUrl, String adminPassword, Path log) {
        this.process = process;
        this.direct = direct;
        this.publicUrl = publicUrl;
        this.adminPassword = adminPassword;
        this.log = log;
    }

    /**
     * Starts Keycloak on {@code 127.0.0.1:port}, known to the world as {@code publicUrl}, importing
     * {@code realmJson} (the realm file with its placeholders filled in).
     */
    public static KeycloakServer start(Path workDir, int port, URI publicUrl, String realmJson) throws IOException {
        Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak-26.5.6"));
        Path java = Path.of(System.getProperty("keycloak.java", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak at " + home + " (pom.xml unpacks it in pre-integration-test)");
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(workDir), "keycloak-");
        Path imports = Files.createDirectories(home.resolve("data/import"));
        try (var old = Files.list(imports)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(imports.resolve(REALM + "-realm.json"), realmJson);
        String adminPassword = "admin-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        Path log = dir.resolve("keycloak.log");
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + Servers.freePort(),
                "--hostname=" + publicUrl, "--db=dev-mem", "--import-realm", "--cache=local")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", java.toString());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        // Quarkus's thread-local reset needs this on Java 24 and later (its own error message says so)
        builder.environment().put("JAVA_OPTS_APPEND", "-Xms64m -Xmx512m --add-opens java.base/java.lang=ALL-UNNAMED");
        KeycloakServer server = new KeycloakServer(builder.start(), URI.create("http://127.0.0.1:" + port),
                publicUrl, adminPassword, log);
        try {
            server.awaitReady(Duration.ofSeconds(180));
        } catch (RuntimeException | IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The realm's issuer, as Confab's {@code confab.oidc.issuer}. */
    public String issuer() {
        return publicUrl + "/realms/" + REALM;
    }

    public URI direct() {
        return direct;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitReady(Duration timeout) throws IOException {
        URI discovery = URI.create(direct + "/realms/" + REALM + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited early: " + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Servers.sleep(500);
        }
        throw new IllegalStateException("Keycloak not ready within " + timeout + ": " + tail());
    }

    private String tail() throws IOException {
        String all = log();
        return all.substring(Math.max(0, all.length() - 4000));
    }

    // ---------- the admin REST API, as an administrator would use it ----------

    private String adminToken() {
        JsonObject token = form(URI.create(direct + "/realms/master/protocol/openid-connect/token"), Map.of(
                "grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", adminPassword));
        return token.getString("access_token");
    }

    /** The realm user's id. */
    public String userId(String username) {
        JsonArray users = Json.createReader(new StringReader(admin("GET",
                "/users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8), null)))
                .readArray();
        return users.getJsonObject(0).getString("id");
    }

    /** How many sessions the user has at the provider. */
    public int sessionCount(String username) {
        return Json.createReader(new StringReader(admin("GET", "/users/" + userId(username) + "/sessions", null)))
                .readArray().size();
    }

    /** Ends every session of the user at the provider: Keycloak then sends back-channel logouts to the clients. */
    public void logOut(String username) {
        admin("POST", "/users/" + userId(username) + "/logout", null);
    }

    /** Changes the user's attributes at the provider (JSON of a user representation's fields). */
    public void updateUser(String username, String json) {
        String id = userId(username);
        JsonObject current = Json.createReader(new StringReader(admin("GET", "/users/" + id, null))).readObject();
        var merged = Json.createObjectBuilder(current);
        Json.createReader(new StringReader(json)).readObject().forEach(merged::add);
        admin("PUT", "/users/" + id, merged.build().toString());
    }

    /** Enables or disables the user's account. */
    public void setEnabled(String username, boolean enabled) {
        admin("PUT", "/users/" + userId(username), "{\"enabled\":" + enabled + "}");
    }

    /**
     * Rotates the realm's signing key: a new RSA key with a higher priority than the first, so that every token is
     * signed with it from now on (the old key stays published, as in a real rotation).
     */
    public void rotateSigningKey() {
        String realmId = Json.createReader(new StringReader(admin("GET", "", null))).readObject().getString("id");
        admin("POST", "/components", Json.createObjectBuilder()
                .add("name", "rotated-" + System.nanoTime()).add("providerId", "rsa-generated")
                .add("providerType", "org.keycloak.keys.KeyProvider").add("parentId", realmId)
                .add("config", Json.createObjectBuilder().add("priority", Json.createArrayBuilder().add("500"))
                        .add("algorithm", Json.createArrayBuilder().add("RS256")))
                .build().toString());
    }

    /** Sets a client's attribute (e.g. {@code access.token.lifespan}, in seconds). */
    public void setClientAttribute(String clientId, String name, String value) {
        JsonObject client = Json.createReader(new StringReader(admin("GET", "/clients?clientId=" + clientId, null)))
                .readArray().getJsonObject(0);
        JsonObject attributes = Json.createObjectBuilder(client.getJsonObject("attributes")).add(name, value).build();
        admin("PUT", "/clients/" + client.getString("id"),
                Json.createObjectBuilder(client).add("attributes", attributes).build().toString());
    }

    /**
     * Tokens for {@code clientId} through the resource-owner password grant, straight from Keycloak (as another
     * application of the company would get them); the {@code id_token} among them is signed by the realm's key.
     */
    public JsonObject passwordGrant(String clientId, String secret, String username, String password) {
        Map<String, String> fields = new java.util.HashMap<>(Map.of("grant_type", "password", "client_id", clientId,
                "username", username, "password", password, "scope", "openid profile email"));
        if (secret != null) {
            fields.put("client_secret", secret);
        }
        return form(URI.create(direct + "/realms/" + REALM + "/protocol/openid-connect/token"), fields);
    }

    private JsonObject form(URI uri, Map<String, String> fields) {
        String body = formBody(fields);
        HttpResponse<String> r = send(HttpRequest.newBuilder(uri).header("Content-Type",
                "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Keycloak token endpoint said " + r.statusCode() + ": " + r.body());
        }
        return Json.createReader(new StringReader(r.body())).readObject();
    }

    /** {@code application/x-www-form-urlencoded}: what an HTML form or an OAuth client posts. */
    static String formBody(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    private String admin(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(direct + "/admin/realms/" + REALM + path))
                .header("Authorization", "Bearer " + adminToken()).timeout(Duration.ofSeconds(30));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = send(request.build());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("Keycloak admin " + method + " " + path + " said " + r.statusCode() + ": "
                    + r.body());
        }
        return r.body();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM to kc.sh (which passes it to its JVM); whatever of its process tree is left then, SIGKILL by PID. */
    @Override
    public void close() {
        List<ProcessHandle> tree = process.descendants().toList();
        Processes.stop(process.toHandle(), Duration.ofSeconds(30));
        for (ProcessHandle child : tree) {
            Processes.stop(child, Duration.ofSeconds(10));
        }
    }
}
