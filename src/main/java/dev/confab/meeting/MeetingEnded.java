package dev.confab.meeting;

/** CDI event fired when a meeting ends, so live connections can be closed by whoever holds them. */
public record MeetingEnded(String code) {
}
