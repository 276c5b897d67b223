package dev.confab.auth;

/** What the API shows of an account: never the password hash. */
public record UserView(String id, String username, String displayName) {

    public static UserView of(User user) {
        return new UserView(user.id(), user.username(), user.displayName());
    }
}
