package dev.confab.chat;

import dev.confab.common.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** Validates, stores and looks up chat messages. Delivery to live participants is the signalling layer's job. */
@ApplicationScoped
public class ChatService {

    public static final int TEXT_MAX = 2000;

    private final ChatRepository repository;
    private final ChatWriter writer;
    private final int historySize;

    protected ChatService() {
        this(null, null, 0);
    }

    @Inject
    public ChatService(ChatRepository repository, ChatWriter writer,
                       @ConfigProperty(name = "confab.chat.history-size", defaultValue = "100") int historySize) {
        this.repository = repository;
        this.writer = writer;
        this.historySize = historySize;
    }

    /**
     * The text as it will be stored: trimmed, 1 to {@value #TEXT_MAX} characters (code points), no control
     * characters other than line breaks and tabs.
     */
    public static String validText(String raw) {
        String text = raw.strip();
        int length = text.codePointCount(0, text.length());
        if (length == 0 || length > TEXT_MAX) {
            throw ApiException.badRequest("invalid_text", "text must be 1 to " + TEXT_MAX + " characters after trimming");
        }
        if (text.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
            throw ApiException.badRequest("invalid_text", "text must not contain control characters");
        }
        return text;
    }

    /**
     * Validates and stores a message; once the stage completes, the message is durable and may be delivered. A
     * message with a {@code clientId} its sender already used in this meeting is not stored again: the stored one
     * comes back, marked as a repeat. Each node serialises its posts per meeting (its lanes); a re-send that two
     * nodes take at once (the sender reconnected elsewhere) is still stored once, by its id. The store's own
     * refusal of a duplicate id is the check, so a message costs one write and no read.
     */
    public CompletionStage<Posted> post(String meetingCode, String from, String fromName, String to, String text,
                                        String clientId, long at) {
        String id = clientId == null ? UUID.randomUUID().toString() : idFor(meetingCode, from, clientId);
        List<String> visibleTo = to == null ? List.of(ChatMessage.EVERYONE) : List.of(from, to);
        ChatMessage message = new ChatMessage(id, meetingCode, from, fromName, to, validText(text), at, visibleTo,
                clientId);
        return writer.store(message).thenApply(stored -> stored
                ? new Posted(message, false)
                : new Posted(repository.find(id).orElseThrow(), true)); // a re-send: the one stored before
    }

    /** A stored message, and whether it had been stored before (a re-send after a reconnect). */
    public record Posted(ChatMessage message, boolean repeat) {
    }

    /** The same sender's same client id in the same meeting always names the same document. */
    private static String idFor(String meetingCode, String from, String clientId) {
        return UUID.nameUUIDFromBytes((meetingCode + '\n' + from + '\n' + clientId).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** What a (late) joiner sees: the newest messages it may read, oldest first. */
    public List<ChatMessage> history(String meetingCode, String participantId) {
        return repository.visibleTo(meetingCode, participantId, historySize);
    }
}
