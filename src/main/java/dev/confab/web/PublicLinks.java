package dev.confab.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * Absolute links people can share. {@code confab.public-url} (e.g. https://meet.example.com) wins; without it the
 * link is built from the request, which is right when Confab is reached directly.
 */
@RequestScoped
public class PublicLinks {

    private final Optional<String> publicUrl;
    private final HttpServletRequest request;

    protected PublicLinks() {
        this(Optional.empty(), null);
    }

    @Inject
    public PublicLinks(@ConfigProperty(name = "confab.public-url") Optional<String> publicUrl,
                       HttpServletRequest request) {
        this.publicUrl = publicUrl.map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.request = request;
    }

    /** The invite link of a meeting: {@code <base>/m/<code>}. */
    public String meeting(String code) {
        return base() + "/m/" + code;
    }

    /** Whether people reach Confab over HTTPS: the request came over TLS, or the public URL is https. */
    public boolean https() {
        return request.isSecure() || publicUrl.map(u -> u.startsWith("https://")).orElse(false);
    }

    /** An absolute URL of this server's {@code path} (which starts with a slash). */
    public String absolute(String path) {
        return base() + path;
    }

    private String base() {
        if (publicUrl.isPresent()) {
            return publicUrl.get();
        }
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + request.getServerName() + (defaultPort ? "" : ":" + port) + request.getContextPath();
    }
}
