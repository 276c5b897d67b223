package dev.confab.signaling;

/** Thrown by a handler when the answer to a message is to close the socket with {@code code}. */
final class Disconnect extends RuntimeException {

    private final int code;

    Disconnect(int code, String reason) {
        super(reason, null, false, false); // an expected outcome: no stack trace
        this.code = code;
    }

    int code() {
        return code;
    }

    String reason() {
        return getMessage();
    }
}
