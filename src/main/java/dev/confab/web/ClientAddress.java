package dev.confab.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, as far as throttles and connection caps are concerned: the peer address of the connection, or,
 * when that peer is one of {@code confab.http.trusted-proxies} (a load balancer or TLS proxy in front of Confab),
 * the nearest address in {@code X-Forwarded-For} that is not a trusted proxy itself. A client cannot pick its
 * own address by sending the header: it is read only from trusted peers.
 */
@ApplicationScoped
public class ClientAddress {

    private final Set<String> trustedProxies;

    protected ClientAddress() {
        this(Optional.empty());
    }

    @Inject
    public ClientAddress(@ConfigProperty(name = "confab.http.trusted-proxies") Optional<String> trustedProxies) {
        this.trustedProxies = Arrays.stream(trustedProxies.orElse("").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    public String of(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded == null) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
                return hop.length() > 64 ? hop.substring(0, 64) : hop;
            }
        }
        return peer;
    }
}
