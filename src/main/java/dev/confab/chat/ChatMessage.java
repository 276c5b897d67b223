package dev.confab.chat;

import dev.confab.store.Collections;
import jakarta.nosql.Column;
import jakarta.nosql.Entity;
import jakarta.nosql.Id;

import java.util.List;

/**
 * One chat message as stored. {@code to} is null for a message to everyone. {@code visibleTo} lists who may read
 * it ({@link #EVERYONE} or the sender and the recipient), so history for a late joiner is one indexed query and a
 * private message can never leak into someone else's history. {@code at} is epoch milliseconds, strictly
 * increasing within a meeting. {@code clientId} is the sender's own id for the message (may be null): a message
 * re-sent after a reconnect is recognised by it and stored once.
 */
@Entity(Collections.CHATS)
public record ChatMessage(
        @Id String id,
        @Column String meetingCode,
        @Column String from,
        @Column String fromName,
        @Column String to,
        @Column String text,
        @Column long at,
        @Column List<String> visibleTo,
        @Column String clientId) {

    public static final String EVERYONE = "*";

    public boolean isPrivate() {
        return to != null;
    }
}
