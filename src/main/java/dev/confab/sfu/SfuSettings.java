package dev.confab.sfu;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/** The SFU's settings (docs/configuration.md). Without {@code confab.sfu.url} Confab is a mesh only. */
@ApplicationScoped
public class SfuSettings {

    private final Optional<String> url;
    private final String apiSecret;
    private final String adminKey;
    private final int meshMax;
    private final Duration meshReturnDelay;
    private final Duration requestTimeout;

    protected SfuSettings() {
        this(Optional.empty(), Optional.empty(), Optional.empty(), 0, null, null);
    }

    @Inject
    public SfuSettings(@ConfigProperty(name = "confab.sfu.url") Optional<String> url,
                       // Optional: MicroProfile Config treats an empty default as no value at all
                       @ConfigProperty(name = "confab.sfu.api-secret") Optional<String> apiSecret,
                       @ConfigProperty(name = "confab.sfu.admin-key") Optional<String> adminKey,
                       @ConfigProperty(name = "confab.sfu.mesh-max", defaultValue = "4") int meshMax,
                       @ConfigProperty(name = "confab.sfu.mesh-return-delay", defaultValue = "PT10S") Duration meshReturnDelay,
                       @ConfigProperty(name = "confab.sfu.request-timeout", defaultValue = "PT5S") Duration requestTimeout) {
        this.url = url.filter(u -> !u.isBlank());
        this.apiSecret = apiSecret.orElse("");
        this.adminKey = adminKey.orElse("");
        this.meshMax = Math.max(0, meshMax);
        this.meshReturnDelay = meshReturnDelay;
        this.requestTimeout = requestTimeout;
    }

    /** Janus's WebSocket API, e.g. {@code ws://127.0.0.1:8188/}. */
    public Optional<String> url() {
        return url;
    }

    public String apiSecret() {
        return apiSecret;
    }

    public String adminKey() {
        return adminKey;
    }

    /** The largest meeting kept on the mesh; 0 puts every meeting on the SFU. */
    public int meshMax() {
        return meshMax;
    }

    /** How long a meeting that shrank back to {@link #meshMax()} stays on the SFU before it returns to the mesh. */
    public Duration meshReturnDelay() {
        return meshReturnDelay;
    }

    /** How long one request to the SFU may take before it counts as failed. */
    public Duration requestTimeout() {
        return requestTimeout;
    }
}
