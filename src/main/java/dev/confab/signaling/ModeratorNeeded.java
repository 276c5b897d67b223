package dev.confab.signaling;

/**
 * A meeting's room may have nobody left who can run its lobby (its last host or co-host left, or someone knocks
 * while only others are in): {@link HostActions} decides whether to hand it over.
 */
public record ModeratorNeeded(String meetingCode) {
}
