package dev.confab.sfu;

/**
 * One media stream a participant receives from the SFU: its {@code mid} in the offer, whose it is, what kind
 * ({@code audio}, {@code video}), from which of its sources.
 */
public record SfuStream(String mid, String participantId, String kind, Sfu.Source source) implements java.io.Serializable {
}
