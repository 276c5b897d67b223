package dev.confab.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * bcrypt (at.favre.lib). bcrypt reads at most 72 bytes, and passwords may be 128 characters of UTF-8,
 * so longer inputs are first reduced with SHA-512 (the library's standard strategy) instead of being truncated.
 */
@ApplicationScoped
public class PasswordHasher {

    static final int MIN_COST = 10;
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;

    private final int cost;
    private final BCrypt.Hasher hasher = BCrypt.with(VERSION, LongPasswordStrategies.hashSha512(VERSION));
    private final BCrypt.Verifyer verifyer = BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));
    /** Checked against when the username is unknown, so both failures cost the same time. */
    private final String decoy;

    protected PasswordHasher() {
        this(MIN_COST);
    }

    @Inject
    public PasswordHasher(@ConfigProperty(name = "confab.auth.bcrypt-cost", defaultValue = "12") int cost) {
        if (cost < MIN_COST || cost > 31) {
            throw new IllegalArgumentException("confab.auth.bcrypt-cost must be 10..31, was " + cost);
        }
        this.cost = cost;
        this.decoy = hash("not a password of anyone".toCharArray());
    }

    public String hash(char[] password) {
        return hasher.hashToString(cost, password);
    }

    public boolean matches(char[] password, String hash) {
        return verifyer.verify(password, hash).verified;
    }

    /** Spends the same work as {@link #matches} and always fails. */
    public boolean matchesNothing(char[] password) {
        verifyer.verify(password, decoy);
        return false;
    }
}
