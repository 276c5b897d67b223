package dev.confab.signaling;

/** A host let this node's socket in from the lobby (CDI event, this node only): it takes its seat. */
public record LetIn(Connection connection) {
}
