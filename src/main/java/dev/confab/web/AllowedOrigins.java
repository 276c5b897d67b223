package dev.confab.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Which web origins may use Confab from a browser: its own (the origin of {@code confab.public-url}, or the one the
 * request was addressed to) and those listed in {@code confab.cors.allowed-origins}; {@code *} is never honoured.
 * The CORS filter and the WebSocket handshake ask the same question here.
 */
@ApplicationScoped
public class AllowedOrigins {

    private static final Logger LOG = Logger.getLogger(AllowedOrigins.class.getName());

    private final Set<String> listed;
    private final Optional<String> publicOrigin;

    protected AllowedOrigins() {
        this(Optional.empty(), Optional.empty());
    }

    @Inject
    public AllowedOrigins(@ConfigProperty(name = "confab.cors.allowed-origins") Optional<String> origins,
                          @ConfigProperty(name = "confab.public-url") Optional<String> publicUrl) {
        this.listed = Arrays.stream(origins.orElse("").split(","))
                .map(String::strip)
                .filter(o -> !o.isEmpty())
                .filter(o -> {
                    if (o.equals("*")) {
                        LOG.warning("confab.cors.allowed-origins: '*' is ignored; list the origins");
                        return false;
                    }
                    return true;
                })
                .map(AllowedOrigins::normalise)
                .collect(Collectors.toUnmodifiableSet());
        this.publicOrigin = publicUrl.map(String::strip).filter(s -> !s.isEmpty()).map(AllowedOrigins::originOf);
    }

    /** Listed in {@code confab.cors.allowed-origins}: another site that may call the API. */
    public boolean isListed(String origin) {
        return origin != null && listed.contains(normalise(origin));
    }

    /**
     * Confab's own origin, or a listed one. Without {@code confab.public-url}, "own" means the origin's host and
     * port are those the request was sent to ({@code host}: the {@code Host} header).
     */
    public boolean allows(String origin, String host) {
        if (origin == null) {
            return false;
        }
        if (isListed(origin)) {
            return true;
        }
        String normalised = normalise(origin);
        if (publicOrigin.isPresent()) {
            return publicOrigin.get().equals(normalised);
        }
        try {
            URI uri = URI.create(normalised);
            String scheme = uri.getScheme();
            if (host == null || uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
                return false;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
            String hostHeader = host.toLowerCase(Locale.ROOT);
            return hostHeader.equals(uri.getHost() + ":" + port)
                    || (hostHeader.equals(uri.getHost()) && uri.getPort() == -1);
        } catch (IllegalArgumentException e) {
            return false; // "null", garbage: not an origin of ours
        }
    }

    private static String normalise(String origin) {
        String o = origin.toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    private static String originOf(String url) {
        URI uri = URI.create(url);
        return normalise(uri.getScheme() + "://" + uri.getRawAuthority());
    }
}
