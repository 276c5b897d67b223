package dev.confab.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Makes opaque bearer tokens (32 random bytes, base64url) and the SHA-256 digest that is stored instead. */
public final class TokenCodec {

    static final int TOKEN_BYTES = 32;
    /** 32 bytes in unpadded base64url are exactly 43 characters. */
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecureRandom random;

    public TokenCodec(SecureRandom random) {
        this.random = random;
    }

    public String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** True when the string could be one of our tokens; anything else is refused without a store look-up. */
    public static boolean wellFormed(String token) {
        return token != null && SHAPE.matcher(token).matches();
    }

    /**
     * Lower-case hex SHA-256 of the text's UTF-8 bytes: a token's stored id (tokens are ASCII, whose UTF-8 is the
     * same bytes), and any other secret or identifier kept only as its hash.
     */
    public static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }
}
