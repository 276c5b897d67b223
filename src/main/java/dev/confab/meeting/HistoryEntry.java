package dev.confab.meeting;

import java.time.Instant;

/** One line of a user's meeting history. */
public record HistoryEntry(String code, String title, String role, Instant joinedAt, String status) {
}
