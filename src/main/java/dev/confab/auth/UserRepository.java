package dev.confab.auth;

import dev.confab.store.DuplicateKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.nosql.Template;

import java.util.Optional;

/** Stores {@link User}s through JNoSQL. */
@ApplicationScoped
public class UserRepository {

    private final Template template;

    protected UserRepository() {
        this(null);
    }

    @Inject
    public UserRepository(Template template) {
        this.template = template;
    }

    /** Inserts the user; false when the username (case-insensitively) is taken, decided by the unique index. */
    public boolean insertIfUsernameFree(User user) {
        return DuplicateKey.unlessTaken(() -> template.insert(user));
    }

    public void update(User user) {
        template.update(user);
    }

    public Optional<User> findById(String id) {
        return template.find(User.class, id);
    }

    public Optional<User> findByUsernameKey(String usernameKey) {
        return template.select(User.class).where("usernameKey").eq(usernameKey).singleResult();
    }
}
