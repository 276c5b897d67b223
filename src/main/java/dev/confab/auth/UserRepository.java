package dev.confab.auth;

import com.mongodb.MongoWriteException;
import com.mongodb.ErrorCategory;
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
        try {
            template.insert(user);
            return true;
        } catch (RuntimeException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
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

    private static boolean isDuplicateKey(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MongoWriteException write
                    && write.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
                return true;
            }
        }
        return false;
    }
}
