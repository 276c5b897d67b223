package dev.confab.auth;

/**
 * What the API shows of an account: never the password hash. {@code company}: signed in through the company's
 * provider ({@code email} is then the provider's, when it gives one); {@code mayCreateMeetings} as
 * {@code confab.oidc.creator-group} decides.
 */
public record UserView(String id, String username, String displayName, String email, boolean company,
                       boolean mayCreateMeetings) {

    public static UserView of(User user, SignInMethods methods) {
        return new UserView(user.id(), user.username(), user.displayName(), user.email(), user.isCompanyAccount(),
                methods.mayCreateMeetings(user));
    }
}
