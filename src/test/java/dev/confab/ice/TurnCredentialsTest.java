package dev.confab.ice;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class TurnCredentialsTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

    /**
     * Known vector, computed outside Java:
     * {@code echo -n "1700003600:alice" | openssl dgst -sha1 -hmac "north-wind" -binary | base64}.
     */
    @Test
    void matchesCoturnsSchemeOnAKnownVector() {
        TurnCredentials.Credential c = new TurnCredentials("north-wind", Duration.ofHours(1)).mint("alice", NOW);
        assertEquals("1700003600:alice", c.username());
        assertEquals("iRtTIZ3N38dm9S+dP+UkHfnN9Qo=", c.password());
        assertEquals(Instant.ofEpochSecond(1_700_003_600L), c.expiresAt());
    }

    @Test
    void theLifetimeIsConfigurableAndTheSecretRequired() {
        assertEquals("1700000060:bob", new TurnCredentials("s", Duration.ofSeconds(60)).mint("bob", NOW).username());
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials(" ", Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> new TurnCredentials("s", Duration.ZERO));
    }

    @Test
    void iceServersCarryStunAsIsAndTurnWithCredentialsButNeverTheSecret() {
        IceServers ice = new IceServers(Optional.of("stun:stun.example.com:3478"),
                Optional.of("turn:turn.example.com:3478?transport=udp, turns:turn.example.com:443?transport=tcp"),
                Optional.of("north-wind"), 3600, false, Clock.fixed(NOW, ZoneOffset.UTC));
        IceConfig config = ice.forParticipant("alice");
        assertEquals("all", config.transportPolicy());
        assertEquals(2, config.servers().size());
        assertEquals(new IceServer(java.util.List.of("stun:stun.example.com:3478"), null, null), config.servers().get(0));
        IceServer turn = config.servers().get(1);
        assertEquals(java.util.List.of("turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:443?transport=tcp"), turn.urls());
        assertEquals("1700003600:alice", turn.username());
        assertEquals("iRtTIZ3N38dm9S+dP+UkHfnN9Qo=", turn.credential());
        assertFalse(config.toString().contains("north-wind"));
    }

    @Test
    void relayOnlyNeedsTurnAndTurnNeedsASecret() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        assertEquals("relay", new IceServers(Optional.empty(), Optional.of("turn:t:3478"), Optional.of("s"), 3600, true, clock)
                .forParticipant("a").transportPolicy());
        assertThrows(IllegalStateException.class,
                () -> new IceServers(Optional.empty(), Optional.empty(), Optional.empty(), 3600, true, clock));
        assertThrows(IllegalStateException.class,
                () -> new IceServers(Optional.empty(), Optional.of("turn:t:3478"), Optional.empty(), 3600, false, clock));
        assertTrue(new IceServers(Optional.empty(), Optional.empty(), Optional.empty(), 3600, false, clock)
                .forParticipant("a").servers().isEmpty());
    }
}
