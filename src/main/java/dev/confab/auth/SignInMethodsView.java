package dev.confab.auth;

/**
 * {@code GET /auth/methods}: {@code localAccounts} (usernames and passwords work), and {@code company} (null, so
 * left out of the JSON, without company sign-in): the button's label and where it starts.
 */
public record SignInMethodsView(boolean localAccounts, Company company) {

    public record Company(String label, String start) {
    }
}
