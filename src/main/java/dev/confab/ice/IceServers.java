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

/**
 * The ICE servers a participant's browser gets in {@code welcome} (docs/configuration.md): the STUN URLs as they
 * are, and the TURN URLs with credentials minted for this participant (fresh on every join, so a re-join
 * refreshes them). The TURN secret stays here.
 */
@ApplicationScoped
public class IceServers {

    private final List<String> stunUrls;
    private final List<String> turnUrls;
    private final TurnCredentials turn;
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
        List<IceServer> servers = new ArrayList<>();
        if (!stunUrls.isEmpty()) {
            servers.add(IceServer.stun(stunUrls));
        }
        if (turn != null) {
            TurnCredentials.Credential credential = turn.mint(participantId, clock.instant());
            servers.add(new IceServer(turnUrls, credential.username(), credential.password()));
        }
        return new IceConfig(servers, relayOnly);
    }

    private static List<String> list(Optional<String> commaSeparated) {
        return commaSeparated.map(s -> Arrays.stream(s.split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList())
                .orElse(List.of());
    }
}
