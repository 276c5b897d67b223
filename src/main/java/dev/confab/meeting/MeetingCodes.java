package dev.confab.meeting;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Meeting codes like {@code abc-defg-hij}: 10 lower-case letters, 26^10 ≈ 2^47 possibilities, from
 * {@link SecureRandom}, so a code can be typed but not guessed.
 */
public final class MeetingCodes {

    private static final Pattern SHAPE = Pattern.compile("[a-z]{3}-[a-z]{4}-[a-z]{3}");
    private static final int[] GROUPS = {3, 4, 3};

    private final SecureRandom random;

    public MeetingCodes(SecureRandom random) {
        this.random = random;
    }

    public String next() {
        StringBuilder code = new StringBuilder(12);
        for (int g = 0; g < GROUPS.length; g++) {
            if (g > 0) {
                code.append('-');
            }
            for (int i = 0; i < GROUPS[g]; i++) {
                code.append((char) ('a' + random.nextInt(26)));
            }
        }
        return code.toString();
    }

    public static boolean wellFormed(String code) {
        return code != null && SHAPE.matcher(code).matches();
    }
}
