package dev.confab.auth;

import dev.confab.store.Collections;
import jakarta.nosql.Column;
import jakarta.nosql.Entity;
import jakarta.nosql.Id;

import java.util.List;

/**
 * An account as stored. {@code usernameKey} is unique (a unique index): for a local account the lower-cased
 * username (so usernames are case-insensitively unique); for a company account {@code "oidc:"} and the SHA-256 of
 * issuer and subject, which no local username can be (a colon is not allowed in one), so that one person at the
 * provider is one account here however often, or however concurrently, they first sign in. {@code createdAt} is
 * epoch milliseconds. Company accounts have no password hash, and {@code issuer}, {@code subject}, {@code email}
 * and {@code groups} from the provider's ID token (refreshed at each sign-in); those are null for local accounts
 * and for accounts stored before company sign-in existed.
 */
@Entity(Collections.USERS)
public record User(
        @Id String id,
        @Column String username,
        @Column String usernameKey,
        @Column String displayName,
        @Column String passwordHash,
        @Column long createdAt,
        @Column String issuer,
        @Column String subject,
        @Column String email,
        @Column List<String> groups) {

    /** A local account: username and password. */
    public static User local(String id, String username, String usernameKey, String displayName, String passwordHash,
                             long createdAt) {
        return new User(id, username, usernameKey, displayName, passwordHash, createdAt, null, null, null, null);
    }

    /** Signs in through a company provider, not with a password. */
    public boolean isCompanyAccount() {
        return issuer != null;
    }

    /** Whether the provider lists this account in {@code group} (false for local accounts). */
    public boolean inGroup(String group) {
        return groups != null && groups.contains(group);
    }

    /** The same account with what the provider says of it now. */
    public User refreshed(String newDisplayName, String newEmail, List<String> newGroups) {
        return new User(id, username, usernameKey, newDisplayName, passwordHash, createdAt, issuer, subject, newEmail,
                List.copyOf(newGroups));
    }
}
