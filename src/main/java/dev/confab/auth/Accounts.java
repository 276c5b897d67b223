package dev.confab.auth;

import dev.confab.common.ApiException;
import dev.confab.token.TokenCodec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Registration and password checks, and the accounts of people who sign in through the company's provider. */
@ApplicationScoped
public class Accounts {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final SignInThrottle throttle;
    private final SignInMethods methods;
    private final Clock clock;

    protected Accounts() {
        this(null, null, null, null, null);
    }

    @Inject
    public Accounts(UserRepository users, PasswordHasher hasher, SignInThrottle throttle, SignInMethods methods,
                    Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.throttle = throttle;
        this.methods = methods;
        this.clock = clock;
    }

    /** Creates an account; {@code clientAddress} counts against the registrations allowed per address. */
    public User register(String username, String password, Optional<String> displayName, String clientAddress) {
        requireLocalAccounts();
        AccountRules.requireUsername(username);
        AccountRules.requirePassword(password);
        String name = displayName.map(n -> AccountRules.displayName(n, "displayName")).orElse(username);
        throttle.checkRegistration(clientAddress);
        User user = User.local(UUID.randomUUID().toString(), username, AccountRules.usernameKey(username), name,
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
        requireLocalAccounts();
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

    /**
     * The account of someone the company's provider vouched for (its ID token checked), found by issuer and subject
     * or created at their first sign-in; name, e-mail and groups are updated from the provider every time.
     */
    public User companyAccount(String issuer, String subject, String displayName, Optional<String> email,
                               Optional<String> preferredUsername, List<String> groups) {
        String key = companyKey(issuer, subject);
        String name = AccountRules.displayNameOrNull(displayName);
        String shownName = name == null ? preferredUsername.orElse(subject) : name;
        Optional<User> known = users.findByUsernameKey(key);
        if (known.isPresent()) {
            User refreshed = known.get().refreshed(shownName, email.orElse(null), groups);
            if (!refreshed.equals(known.get())) {
                users.update(refreshed);
            }
            return refreshed;
        }
        User created = new User(UUID.randomUUID().toString(), preferredUsername.or(() -> email).orElse(subject), key,
                shownName, null, clock.millis(), issuer, subject, email.orElse(null), List.copyOf(groups));
        if (users.insertIfUsernameFree(created)) {
            return created;
        }
        // signed in twice at once for the first time: the other sign-in created the account
        return users.findByUsernameKey(key).orElseThrow(() -> new IllegalStateException("Account vanished: " + key));
    }

    /** The company account of this person at this provider, if they ever signed in. */
    public Optional<User> findCompanyAccount(String issuer, String subject) {
        return users.findByUsernameKey(companyKey(issuer, subject));
    }

    /** The unique key of a company account: see {@link User}. */
    static String companyKey(String issuer, String subject) {
        return "oidc:" + TokenCodec.hash(issuer + "\n" + subject);
    }

    private void requireLocalAccounts() {
        if (!methods.localAccounts()) {
            throw new ApiException(403, "local_accounts_disabled",
                    "Sign in with your company account: this server has no usernames and passwords of its own");
        }
    }

    public Optional<User> find(String userId) {
        return users.findById(userId);
    }
}
