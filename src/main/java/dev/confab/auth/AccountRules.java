package dev.confab.auth;

import dev.confab.common.ApiException;

import java.util.Locale;
import java.util.regex.Pattern;

/** The shape of usernames, passwords and display names. */
public final class AccountRules {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");
    static final int PASSWORD_MIN = 8;
    static final int PASSWORD_MAX = 128;
    public static final int DISPLAY_NAME_MAX = 64;

    private AccountRules() {
    }

    public static boolean validUsername(String username) {
        return username != null && USERNAME.matcher(username).matches();
    }

    public static String usernameKey(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    public static void requireUsername(String username) {
        if (!validUsername(username)) {
            throw ApiException.badRequest("invalid_username",
                    "username must be 3-32 characters of letters, digits, '_', '.' or '-'");
        }
    }

    public static void requirePassword(String password) {
        int length = password.codePointCount(0, password.length());
        if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
            throw ApiException.badRequest("invalid_password",
                    "password must be " + PASSWORD_MIN + "-" + PASSWORD_MAX + " characters");
        }
    }

    /**
     * A trimmed display name of 1-64 characters without control characters.
     * @param field the field's name in the request, for the error message
     */
    public static String displayName(String raw, String field) {
        String name = raw.strip();
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > DISPLAY_NAME_MAX || name.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("invalid_display_name",
                    field + " must be 1-" + DISPLAY_NAME_MAX + " characters without control characters");
        }
        return name;
    }
}
