package dev.confab.signaling;

/** Who is behind a joined socket. {@code userId} (null for guests) stays on the server. */
public record Participant(String id, String name, boolean host, String userId) {
}
