package dev.confab.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class UnicodeTest {

    @Test
    void loneSurrogatesAreNotWellFormed() {
        assertTrue(Unicode.isWellFormed("plain"));
        assertTrue(Unicode.isWellFormed("emoji \uD83D\uDE00"));
        assertFalse(Unicode.isWellFormed("\uD800"));
        assertFalse(Unicode.isWellFormed("x\uDC00"));
        assertFalse(Unicode.isWellFormed("\uDE00\uD83D"), "reversed pair");
        assertFalse(Unicode.isWellFormed("end \uD83D"));
    }

    @Test
    void deceptiveCharactersAreFoundAndScriptJoinersAllowed() {
        assertEquals(-1, Unicode.firstDeceptiveIndex("Ann Smith"));
        assertEquals(3, Unicode.firstDeceptiveIndex("Ann\u200B"));
        assertEquals(0, Unicode.firstDeceptiveIndex("\u202EnnA"));
        assertEquals(2, Unicode.firstDeceptiveIndex("An\u200Dn"), "a joiner in Latin text");
        assertEquals(3, Unicode.firstDeceptiveIndex("Ann\u2067x"));
        assertEquals(0, Unicode.firstDeceptiveIndex("\u3164"), "a Hangul filler is blank");
        assertEquals(-1, Unicode.firstDeceptiveIndex("\u0645\u06CC\u200C\u062E"), "Persian needs its non-joiner");
        assertEquals(-1, Unicode.firstDeceptiveIndex("\uD83D\uDC69\u200D\uD83D\uDCBB"), "an emoji sequence");
        assertEquals(1, Unicode.firstDeceptiveIndex("\u0645\u200C"), "but not at the end");
    }
}
