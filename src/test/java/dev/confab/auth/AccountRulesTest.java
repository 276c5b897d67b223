package dev.confab.auth;

import dev.confab.common.ApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AccountRulesTest {

    @Test
    void usernames() {
        assertTrue(AccountRules.validUsername("abc"));
        assertTrue(AccountRules.validUsername("A.b_c-9"));
        assertTrue(AccountRules.validUsername("x".repeat(32)));
        assertFalse(AccountRules.validUsername("ab"));
        assertFalse(AccountRules.validUsername("x".repeat(33)));
        assertFalse(AccountRules.validUsername("a b"));
        assertFalse(AccountRules.validUsername("$ne"));
        assertEquals("alice", AccountRules.usernameKey("AlIcE"));
    }

    @Test
    void passwords() {
        assertDoesNotThrow(() -> AccountRules.requirePassword("12345678"));
        assertDoesNotThrow(() -> AccountRules.requirePassword("x".repeat(128)));
        assertEquals("invalid_password",
                assertThrows(ApiException.class, () -> AccountRules.requirePassword("1234567")).code());
        assertThrows(ApiException.class, () -> AccountRules.requirePassword("x".repeat(129)));
    }

    @Test
    void displayNames() {
        assertEquals("Ann", AccountRules.displayName("  Ann ", "displayName"));
        assertThrows(ApiException.class, () -> AccountRules.displayName("   ", "displayName"));
        assertThrows(ApiException.class, () -> AccountRules.displayName("a\u0000b", "displayName"));
        assertThrows(ApiException.class, () -> AccountRules.displayName("x".repeat(65), "displayName"));
    }

    @Test
    void bcryptHashesVerifyAndLongPasswordsAreNotTruncated() {
        PasswordHasher hasher = new PasswordHasher(10);
        String hash = hasher.hash("correct horse".toCharArray());
        assertTrue(hash.startsWith("$2b$10$"));
        assertTrue(hasher.matches("correct horse".toCharArray(), hash));
        assertFalse(hasher.matches("wrong horse".toCharArray(), hash));
        String longA = "a".repeat(100) + "1";
        String longB = "a".repeat(100) + "2";
        assertFalse(hasher.matches(longB.toCharArray(), hasher.hash(longA.toCharArray())),
                "bytes past bcrypt's 72 must still count");
        assertFalse(hasher.matchesNothing("anything".toCharArray()));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(9));
    }
}
