package dev.confab.auth;

import dev.confab.store.Collections;
import jakarta.nosql.Column;
import jakarta.nosql.Entity;
import jakarta.nosql.Id;

/**
 * An account as stored. {@code usernameKey} is the lower-cased username: a unique index on it makes
 * usernames case-insensitively unique. {@code createdAt} is epoch milliseconds.
 */
@Entity(Collections.USERS)
public record User(
        @Id String id,
        @Column String username,
        @Column String usernameKey,
        @Column String displayName,
        @Column String passwordHash,
        @Column long createdAt) {
}
