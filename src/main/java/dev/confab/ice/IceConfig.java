package dev.confab.ice;

import java.util.List;

/** What one participant's browser gets to find a media path: ICE servers and whether it may only use relays. */
public record IceConfig(List<IceServer> servers, boolean relayOnly) {

    public IceConfig {
        servers = List.copyOf(servers);
    }

    /** The browser's {@code iceTransportPolicy}. */
    public String transportPolicy() {
        return relayOnly ? "relay" : "all";
    }
}
