package dev.confab.ice;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The ICE servers a participant's browser gets in {@code welcome} (docs/configuration.md): the STUN URLs as they
 * are, and the TURN URLs with credentials minted for this participant (fresh on every join, so a re-join
 * refreshes them). The TURN secret stays here.
 */
@ApplicationScoped
public class IceServers {

    private static final long CHECK_TTL_SECONDS = 300;

    private final List<String> stunUrls;
    private final List<String> turnUrls;
    private final TurnCredentials turn;
    /** Credentials for a pre-join connection check: minutes, not hours. */
    private final TurnCredentials checkTurn;
    private final boolean relayOnly;
    private final Clock clock;

    protected IceServers() {
        this(Optional.empty(), Optional.empty(), Optional.empty(), 3600, false, Clock.systemUTC());
    }

    @Inject
    public IceServers(@ConfigProperty(name = "confab.stun.urls") Optional<String> stunUrls,
                      @ConfigProperty(name = "confab.turn.urls") Optional<String> turnUrls,
                      @ConfigProperty(name = "confab.turn.secret") Optional<String> turnSecret,
                      @ConfigProperty(name = "confab.turn.ttl-seconds", defaultValue = "3600") long ttlSeconds,
                      @ConfigProperty(name = "confab.ice.relay-only", defaultValue = "false") boolean relayOnly,
                      Clock clock) {
        this.stunUrls = list(stunUrls);
        this.turnUrls = list(turnUrls);
        if (!this.turnUrls.isEmpty() && turnSecret.filter(s -> !s.isBlank()).isEmpty()) {
            throw new IllegalStateException("confab.turn.urls is set but confab.turn.secret is not");
        }
        this.turn = this.turnUrls.isEmpty() ? null : new TurnCredentials(turnSecret.orElseThrow(), Duration.ofSeconds(ttlSeconds));
        this.checkTurn = this.turnUrls.isEmpty() ? null
                : new TurnCredentials(turnSecret.orElseThrow(), Duration.ofSeconds(Math.min(ttlSeconds, CHECK_TTL_SECONDS)));
        if (relayOnly && this.turnUrls.isEmpty()) {
            throw new IllegalStateException("confab.ice.relay-only needs a TURN server (confab.turn.urls)");
        }
        this.relayOnly = relayOnly;
        this.clock = clock;
    }

    /** Created at deployment, so a TURN configuration that cannot work fails the start, not the first join. */
    void checkAtStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // the constructor has checked everything
    }

    public IceConfig forParticipant(String participantId) {
        return config(turn, participantId);
    }

    /**
     * For a browser checking, before it joins, which paths its network allows: the same servers, with TURN
     * credentials of a few minutes under a name of their own ({@code check-<random>}: never a participant's).
     */
    public IceConfig forConnectionCheck() {
        return config(checkTurn, "check-" + UUID.randomUUID());
    }

    private IceConfig config(TurnCredentials credentials, String name) {
        List<IceServer> servers = new ArrayList<>();
        if (!stunUrls.isEmpty()) {
            servers.add(IceServer.stun(stunUrls));
        }
        if (credentials != null) {
            TurnCredentials.Credential credential = credentials.mint(name, clock.instant());
            servers.add(new IceServer(turnUrls, credential.username(), credential.password()));
        }
        return new IceConfig(servers, relayOnly);
    }

    private static List<String> list(Optional<String> commaSeparated) {
        return commaSeparated.map(s -> Arrays.stream(s.split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList())
                .orElse(List.of());
    }
}
