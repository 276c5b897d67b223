package dev.confab.sfu.janus;

/** Janus (or its VideoRoom plugin) refused a request, did not answer in time, or the connection is gone. */
final class JanusException extends RuntimeException {

    JanusException(String message) {
        super(message);
    }

    JanusException(String message, Throwable cause) {
        super(message, cause);
    }
}
