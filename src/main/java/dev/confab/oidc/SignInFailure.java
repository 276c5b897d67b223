package dev.confab.oidc;

/**
 * A company sign-in that cannot go on: shown to the person as an error page ({@link SignInPages}) with a status, a
 * stable code, a sentence for them, and (for the administrator) what exactly was wrong.
 */
public class SignInFailure extends RuntimeException {

    private final int status;
    private final String code;
    private final String detail;
    private final long retryAfterSeconds;

    public SignInFailure(int status, String code, String message, String detail) {
        this(status, code, message, detail, 0);
    }

    private SignInFailure(int status, String code, String message, String detail, long retryAfterSeconds) {
        super(message, null, false, false); // an expected outcome: no stack trace needed
        this.status = status;
        this.code = code;
        this.detail = detail;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429: too many sign-ins started from one address; when to try again (HTTP {@code Retry-After}). */
    static SignInFailure tooMany(long waitMillis) {
        long seconds = Math.max(1, (waitMillis + 999) / 1000);
        return new SignInFailure(429, "too_many_sign_ins",
                "Too many sign-ins were started from your network just now. Try again in a few seconds.",
                "retry after " + seconds + " s", seconds);
    }

    /** Seconds to wait before trying again; 0 when the failure is not about timing. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** What was wrong, in the provider's or the validator's words; never a secret. */
    public String detail() {
        return detail;
    }

    static SignInFailure unreachable(String detail) {
        return new SignInFailure(502, "provider_unreachable",
                "The company sign-in service cannot be reached right now. Try again in a few minutes.", detail);
    }

    static SignInFailure invalidState(String detail) {
        return new SignInFailure(400, "invalid_state",
                "This sign-in cannot be completed: it was already used, has expired, or was started in another "
                        + "browser. Please start again.", detail);
    }

    /** {@code reason}: signature, issuer, audience, time, nonce or invalid; the code is {@code id_token_<reason>}. */
    static SignInFailure rejectedIdToken(String reason, String detail) {
        return new SignInFailure(401, "id_token_" + reason,
                "The answer from the company sign-in service could not be verified, so you were not signed in.",
                detail);
    }
}
