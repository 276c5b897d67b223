package dev.confab.signaling;

/** Where a meeting's media flows: browser to browser, or through the SFU. */
public enum MediaMode {
    MESH, SFU;

    String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
