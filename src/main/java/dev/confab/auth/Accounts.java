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
    private final SignInThrottle throttle;
    private final Clock clock;

    protected Accounts() {
        this(null, null, null, null);
    }

    @Inject
    public Accounts(UserRepository users, PasswordHasher hasher, SignInThrottle throttle, Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.clock = clock;
    }

    /** Creates an account; {@code clientAddress} counts against the registrations allowed per address. */
    public User register(String username, String password, Optional<String> displayName, String clientAddress) {
        AccountRules.requireUsername(username);
        AccountRules.requirePassword(password);
        String name = displayName.map(n -> AccountRules.displayName(n, "displayName")).orElse(username);
        throttle.checkRegistration(clientAddress);
        User user = new User(UUID.randomUUID().toString(), username, AccountRules.usernameKey(username), name,
                hasher.hash(password.toCharArray()), clock.millis());
        if (!users.insertIfUsernameFree(user)) {
            throw ApiException.conflict("username_taken", "That username is already taken");
        }
        return user;
    }

    /**
     * The account whose credentials these are; one and the same refusal for unknown user and wrong password.
     * Failures are counted per account and per {@code clientAddress}; past a few, attempts are refused (429) for
     * a growing while before the password is even looked at.
     */
    public User authenticate(String username, String password, String clientAddress) {
        boolean valid = AccountRules.validUsername(username);
        // unknown and malformed names are counted too (under their own key): guessing names costs the same
        String accountKey = valid ? AccountRules.usernameKey(username) : "?";
        throttle.checkLogin(accountKey, clientAddress);
        Optional<User> user = valid ? users.findByUsernameKey(accountKey) : Optional.empty();
        boolean ok = user.isPresent()
                ? hasher.matches(password.toCharArray(), user.get().passwordHash())
                : hasher.matchesNothing(password.toCharArray());
        if (!ok) {
            throttle.loginFailed(accountKey, clientAddress);
            throw new ApiException(401, "invalid_credentials", "Wrong username or password");
        }
        throttle.loginSucceeded(accountKey);
        return user.get();
    }

    public Optional<User> find(String userId) {
        return users.findById(userId);
    }
}
