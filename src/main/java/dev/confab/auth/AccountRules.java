package dev.confab.auth;

import dev.confab.common.ApiException;
import dev.confab.common.Unicode;

import java.text.Normalizer;
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
     * A trimmed display name of 1-64 characters (NFC-normalised) without control characters, bidirectional
     * controls or invisible characters ({@link Unicode#firstDeceptiveIndex}): a name must look like what it is, so
     * nobody can pose as "Ann" next to the real Ann, nor reverse the text around their name.
     * @param field the field's name in the request, for the error message
     */
    public static String displayName(String raw, String field) {
        String name = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        int length = name.codePointCount(0, name.length());
        if (length < 1 || length > DISPLAY_NAME_MAX) {
            throw ApiException.badRequest("invalid_display_name",
                    field + " must be 1-" + DISPLAY_NAME_MAX + " characters");
        }
        int bad = Unicode.firstDeceptiveIndex(name);
        if (bad >= 0) {
            throw ApiException.badRequest("invalid_display_name", String.format(
                    "%s must not contain control, direction-changing or invisible characters (U+%04X at %d)",
                    field, name.codePointAt(bad), name.codePointCount(0, bad)));
        }
        return name;
    }

    /**
     * A name a provider gave, made to fit {@link #displayName}'s rules: cut to the longest length allowed, or null
     * when it is empty or holds characters a display name must not (the caller falls back to another claim).
     */
    public static String displayNameOrNull(String raw) {
        if (raw == null) {
            return null;
        }
        String name = raw.strip();
        if (name.codePointCount(0, name.length()) > DISPLAY_NAME_MAX) {
            name = name.substring(0, name.offsetByCodePoints(0, DISPLAY_NAME_MAX));
        }
        try {
            return displayName(name, "name");
        } catch (ApiException unfit) {
            return null;
        }
    }
}
