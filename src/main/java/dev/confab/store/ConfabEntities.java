package dev.confab.store;

import dev.confab.auth.User;
import dev.confab.chat.ChatMessage;
import dev.confab.meeting.Ban;
import dev.confab.meeting.Meeting;
import dev.confab.meeting.Participation;
import dev.confab.token.AccessToken;
import jakarta.data.repository.DataRepository;
import org.eclipse.jnosql.mapping.metadata.ClassScanner;

import java.util.Set;

/**
 * Tells JNoSQL which classes are Confab's entities, instead of letting it find them.
 *
 * <p>Why: JNoSQL's default {@link ClassScanner} runs ClassGraph over the whole class path at deployment, which was
 * about a third of the CPU Payara spent starting Confab (docs/benchmarks.md). JNoSQL takes the first scanner
 * {@link java.util.ServiceLoader} finds, and {@code WEB-INF/classes} comes before the library jars, so this one
 * (registered in {@code META-INF/services}) wins. A unit test keeps the list equal to the classes marked
 * {@code @Entity}. Confab has no embeddables and no Jakarta Data repositories.
 */
public final class ConfabEntities implements ClassScanner {

    static final Set<Class<?>> ENTITIES = Set.of(
            User.class, AccessToken.class, Meeting.class, Participation.class, ChatMessage.class, Ban.class);

    @Override
    public Set<Class<?>> entities() {
        return ENTITIES;
    }

    @Override
    public Set<Class<?>> repositories() {
        return Set.of();
    }

    @Override
    public Set<Class<?>> embeddables() {
        return Set.of();
    }

    @Override
    public <T extends DataRepository<?, ?>> Set<Class<?>> repositories(Class<T> filter) {
        return Set.of();
    }

    @Override
    public Set<Class<?>> repositoriesStandard() {
        return Set.of();
    }

    @Override
    public Set<Class<?>> customRepositories() {
        return Set.of();
    }
}
