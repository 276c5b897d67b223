package dev.confab.chat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.nosql.Template;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Reads {@link ChatMessage}s through JNoSQL ({@link ChatWriter} writes them). */
@ApplicationScoped
public class ChatRepository {

    private final Template template;

    protected ChatRepository() {
        this(null);
    }

    @Inject
    public ChatRepository(Template template) {
        this.template = template;
    }

    public Optional<ChatMessage> find(String id) {
        return template.find(ChatMessage.class, id);
    }

    /** The newest {@code limit} messages of a meeting that {@code participantId} may read, oldest first. */
    public List<ChatMessage> visibleTo(String meetingCode, String participantId, int limit) {
        List<ChatMessage> newestFirst = template.select(ChatMessage.class)
                .where("meetingCode").eq(meetingCode)
                .and("visibleTo").in(List.of(ChatMessage.EVERYONE, participantId))
                .orderBy("at").desc()
                .limit(limit)
                .result();
        List<ChatMessage> oldestFirst = new ArrayList<>(newestFirst);
        Collections.reverse(oldestFirst);
        return oldestFirst;
    }
}
