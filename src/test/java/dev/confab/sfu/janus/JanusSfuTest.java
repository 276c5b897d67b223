package dev.confab.sfu.janus;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JanusSfuTest {

    @Test
    void theMicrophonesMidIsTheFirstAudioSections() {
        String offer = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 3 7", "m=video 9 UDP/TLS/RTP/SAVPF 96", "a=mid:3", "a=sendonly",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "a=mid:7", "a=sendonly", "");
        assertEquals("7", JanusSfu.audioMid(offer));
    }

    @Test
    void anOfferWithoutAudioHasNoMicrophone() {
        assertNull(JanusSfu.audioMid("v=0\nm=video 9 UDP/TLS/RTP/SAVPF 96\na=mid:0\n"));
    }
}
