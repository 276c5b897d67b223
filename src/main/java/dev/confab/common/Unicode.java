package dev.confab.common;

/**
 * Checks on text that comes in from outside. A JSON escape such as {@code "\\udc00"} decodes to a lone surrogate:
 * a Java string can hold it, but no UTF-8 encoder can write it, so it must never reach a store or a socket.
 */
public final class Unicode {

    private Unicode() {
    }

    /** True when every surrogate in {@code text} is half of a pair (well-formed UTF-16). */
    public static boolean isWellFormed(CharSequence text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == length || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Characters a display name must not hold because they make it look like another one, or reorder the text
     * around it: control characters, bidirectional overrides, embeddings, isolates and marks, zero-width spaces,
     * joiners in Latin text, every other invisible formatting character (Unicode category Cf), and the blank
     * letters (Hangul fillers, the blank Braille pattern, the combining grapheme joiner). Returns the index of
     * the first one, or -1.
     *
     * <p>The zero-width joiner and non-joiner are real letters' helpers in Persian, Arabic, the Indic scripts and
     * emoji sequences, so they are allowed there: between two characters that are neither ASCII nor white space.
     * Next to ASCII they only serve to make "An&#x200D;n" pass for "Ann".
     */
    public static int firstDeceptiveIndex(String name) {
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (Character.isISOControl(cp) || invisible(cp)) {
                return i;
            }
            if (Character.getType(cp) == Character.FORMAT) {
                boolean joiner = cp == 0x200C || cp == 0x200D;
                if (!joiner || i == 0 || next >= name.length()
                        || !joinable(name.codePointBefore(i)) || !joinable(name.codePointAt(next))) {
                    return i;
                }
            }
            i = next;
        }
        return -1;
    }

    /** Letters of no width that are not in category Cf: fillers and the combining grapheme joiner. */
    private static boolean invisible(int cp) {
        return cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x2800;
    }

    private static boolean joinable(int cp) {
        return cp > 0x7F && !Character.isWhitespace(cp) && !Character.isSpaceChar(cp)
                && Character.getType(cp) != Character.FORMAT;
    }
}
