package dev.confab.it.support;

import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One person's browser going through company sign-in, without a browser: an HTTP client with its own cookie jar
 * that follows the flow step by step (Confab's start, Keycloak's login form, the callback, the hand-off), so that a
 * test can stop at, repeat, or tamper with any step.
 */
public final class CompanySignInClient {

    private static final Pattern FORM_ACTION =
            Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

    private final URI confab;
    private final String clientAddress;
    private final LoopbackCookies cookies = new LoopbackCookies();
    private final HttpClient http;

    /** A browser at an address of its own (believed where Confab trusts 127.0.0.1 as a proxy, as {@link Api}). */
    public CompanySignInClient(URI confab) {
        this(confab, Api.randomPrivateAddress());
    }

    public CompanySignInClient(URI confab, String clientAddress) {
        this.clientAddress = clientAddress;
        this.confab = confab.toString().endsWith("/") ? URI.create(confab.toString().replaceAll("/$", "")) : confab;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * A cookie jar that treats http://127.0.0.1 as a secure context, as browsers do for loopback: Keycloak marks
     * its cookies {@code Secure}, which Java's own jar would then never send over plain HTTP.
     */
    private static final class LoopbackCookies extends CookieHandler {

        private final CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) throws IOException {
            return jar.get(uri, requestHeaders);
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) throws IOException {
            Map<String, List<String>> insecure = new HashMap<>();
            responseHeaders.forEach((name, values) -> insecure.put(name, name != null
                    && name.equalsIgnoreCase("Set-Cookie")
                    ? values.stream().map(v -> v.replaceAll("(?i);\\s*Secure(?=;|$)", "")).toList() : values));
            jar.put(uri, insecure);
        }
    }

    /** An answer: status, {@code Location}, body, {@code Retry-After}. */
    public record Step(int status, String location, String body, String retryAfter) {

        public Step expect(int expected) {
            if (status != expected) {
                throw new AssertionError("Expected HTTP " + expected + " but got " + status + " (" + location + "): "
                        + body);
            }
            return this;
        }

        /** The error code a failed sign-in's page shows ({@code data-error}), or null. */
        public String pageError() {
            Matcher m = Pattern.compile("data-error=\"([^\"]+)\"").matcher(body);
            return m.find() ? m.group(1) : null;
        }
    }

    /** "Sign in with …": Confab's start; a 303 to the provider when all is well. */
    public Step start(String next) {
        return get(URI.create(confab + "/api/v1/auth/oidc/start" + (next == null ? ""
                : "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8))));
    }

    /**
     * At the provider: opens its login page (where {@code start} sent us) and submits the credentials; the
     * provider's answer, a redirect back to Confab's callback when they are right. When this browser is still
     * signed in there, the provider sends it straight back instead, and that is the answer.
     */
    public Step logInAtProvider(String authorizationUrl, String username, String password) {
        Step page = get(URI.create(authorizationUrl));
        if (page.status() == 302 && page.location().startsWith(confab + "/")) {
            return page; // still signed in at the provider (single sign-on): straight back
        }
        page.expect(200);
        Matcher action = FORM_ACTION.matcher(page.body());
        if (!action.find()) {
            throw new AssertionError("No login form at the provider: " + page.body());
        }
        URI post = URI.create(action.group(1).replace("&amp;", "&"));
        return send(HttpRequest.newBuilder(post).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(KeycloakServer.formBody(Map.of("username", username, "password", password,
                        "credentialId", "")))));
    }

    /** The first steps: start, then the provider's login; the callback URL the provider sends us back to. */
    public String toCallback(String username, String password) {
        Step started = start(null).expect(303);
        Step back = logInAtProvider(started.location(), username, password);
        if (back.status() != 302 || !back.location().startsWith(confab + "/api/v1/auth/oidc/callback")) {
            throw new AssertionError("The provider did not send us back to Confab: " + back);
        }
        return back.location();
    }

    /** Follows a callback URL (the provider's redirect) into Confab. */
    public Step callback(String callbackUrl) {
        return get(URI.create(callbackUrl));
    }

    /** The hand-off code of a successful callback's redirect to {@code /signin#handoff=…}. */
    public static String handoff(Step callback) {
        callback.expect(303);
        String location = callback.location();
        int at = location.indexOf("#handoff=");
        if (at < 0) {
            throw new AssertionError("Not a hand-off: " + location);
        }
        return location.substring(at + "#handoff=".length());
    }

    /** The sign-in page's half: the hand-off for a session (the login answer's JSON). */
    public Api.Reply redeem(String handoff) {
        return post("/api/v1/auth/oidc/session", Api.json(Map.of("handoff", handoff)));
    }

    /** The whole sign-in, as the browser does it; the login answer. */
    public JsonObject signIn(String username, String password) {
        return redeem(handoff(callback(toCallback(username, password)).expect(303))).expect(200).object();
    }

    public Api.Reply post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(confab + path)).timeout(Duration.ofSeconds(30))
                .header("X-Forwarded-For", clientAddress).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> r = exchange(request);
        return new Api.Reply(r.statusCode(), r.headers().map(), r.body());
    }

    public Step get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    private Step send(HttpRequest.Builder request) {
        HttpResponse<String> r = exchange(request.timeout(Duration.ofSeconds(30))
                .header("X-Forwarded-For", clientAddress).build());
        return new Step(r.statusCode(), r.headers().firstValue("Location").orElse(null), r.body(),
                r.headers().firstValue("Retry-After").orElse(null));
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
