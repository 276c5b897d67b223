package dev.confab.signaling;

/** Who is behind a joined socket. {@code userId} (null for guests) stays on the server. */
public record Participant(String id, String name, boolean host, String userId) {

    /** Joined without an account: shown as "Guest" to everyone, so a guest cannot pass for a colleague. */
    public boolean guest() {
        return userId == null;
    }
}
