package dev.confab.it.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * The network path to the identity provider, under the test's control: an HTTP forwarder on 127.0.0.1 in front of
 * Keycloak (whose public address it is), passing everything through unchanged, except that a test can make it
 * <em>drop</em> every request (the provider is unreachable) or <em>rewrite</em> or <em>hold</em> the token
 * endpoint's answer (an ID token tampered with, replaced, or arriving late) — what an attacker on the path or a
 * broken provider would do. The provider itself stays the real one.
 */
public final class ProviderProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "keep-alive", "transfer-encoding", "te", "trailer", "proxy-connection", "http2-settings");

    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile URI target;
    private volatile boolean dropping;
    private volatile UnaryOperator<String> tokenAnswer = UnaryOperator.identity();
    private volatile long tokenDelayMillis;

    private ProviderProxy(HttpServer server) {
        this.server = server;
    }

    public static ProviderProxy start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        ProviderProxy proxy = new ProviderProxy(server);
        server.createContext("/", proxy::forward);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        return proxy;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Where requests go (Keycloak's own address); until set, every request is dropped. */
    public void forwardTo(URI keycloak) {
        this.target = keycloak;
    }

    /** Drops every request (the connection closes without an answer), until {@link #passThrough()}. */
    public void drop() {
        dropping = true;
    }

    /** Passes everything through unchanged again. */
    public void passThrough() {
        dropping = false;
        tokenAnswer = UnaryOperator.identity();
        tokenDelayMillis = 0;
    }

    /** Rewrites the body of the token endpoint's answers (JSON with the {@code id_token}). */
    public void rewriteTokenAnswers(UnaryOperator<String> rewrite) {
        tokenAnswer = rewrite;
    }

    /** Holds the token endpoint's answers this long before passing them on. */
    public void delayTokenAnswers(Duration delay) {
        tokenDelayMillis = delay.toMillis();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI to = target;
            if (dropping || to == null) {
                return; // closed without an answer
            }
            URI uri = URI.create(to + exchange.getRequestURI().toString());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            byte[] answer = response.body();
            boolean tokenEndpoint = exchange.getRequestURI().getPath().endsWith("/protocol/openid-connect/token");
            if (tokenEndpoint && response.statusCode() == 200) {
                answer = tokenAnswer.apply(new String(answer, java.nio.charset.StandardCharsets.UTF_8))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (tokenDelayMillis > 0) {
                    Servers.sleep(tokenDelayMillis);
                }
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
