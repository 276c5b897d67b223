package dev.confab.auth;

import dev.confab.common.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/** Registration and password checks. */
@ApplicationScoped
public class Accounts {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Clock clock;

    protected Accounts() {
        this(null, null, null);
    }

    @Inject
    public Accounts(UserRepository users, PasswordHasher hasher, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.clock = clock;
    }

    public User register(String username, String password, Optional<String> displayName) {
        AccountRules.requireUsername(username);
        AccountRules.requirePassword(password);
        String name = displayName.map(n -> AccountRules.displayName(n, "displayName")).orElse(username);
        User user = new User(UUID.randomUUID().toString(), username, AccountRules.usernameKey(username), name,
                hasher.hash(password.toCharArray()), clock.millis());
        if (!users.insertIfUsernameFree(user)) {
            throw ApiException.conflict("username_taken", "That username is already taken");
        }
        return user;
    }

    /** The account whose credentials these are; one and the same refusal for unknown user and wrong password. */
    public User authenticate(String username, String password) {
        Optional<User> user = AccountRules.validUsername(username)
                ? users.findByUsernameKey(AccountRules.usernameKey(username))
                : Optional.empty();
        boolean ok = user.isPresent()
                ? hasher.matches(password.toCharArray(), user.get().passwordHash())
                : hasher.matchesNothing(password.toCharArray());
        if (!ok) {
            throw new ApiException(401, "invalid_credentials", "Wrong username or password");
        }
        return user.get();
    }

    public Optional<User> find(String userId) {
        return users.findById(userId);
    }
}
