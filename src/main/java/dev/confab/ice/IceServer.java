package dev.confab.ice;

import java.util.List;

/** One entry of a browser's {@code RTCConfiguration.iceServers}; username and credential are null for STUN. */
public record IceServer(List<String> urls, String username, String credential) {

    public IceServer {
        urls = List.copyOf(urls);
    }

    static IceServer stun(List<String> urls) {
        return new IceServer(urls, null, null);
    }
}
