package dev.confab.signaling;

/**
 * Who is behind a joined (or knocking) socket. {@code userId} (null for guests) stays on the server. A co-host
 * was made so by the host: it may do what the host does except end the meeting and name co-hosts.
 */
public record Participant(String id, String name, boolean host, boolean cohost, String userId)
        implements java.io.Serializable {

    /** Joined without an account: shown as "Guest" to everyone, so a guest cannot pass for a colleague. */
    public boolean guest() {
        return userId == null;
    }

    /** The host or a co-host: may mute, remove, lock, and run the lobby. */
    public boolean moderator() {
        return host || cohost;
    }

    public Participant withCohost(boolean newCohost) {
        return new Participant(id, name, host, newCohost, userId);
    }
}
