package dev.confab.auth;

import dev.confab.common.ApiException;
import dev.confab.throttle.Throttles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;

/**
 * Slows password guessing and mass sign-ups. Wrong passwords are counted per account and per client address:
 * after a few free ones each failure blocks that key for twice as long as the last (429 with Retry-After), up to a
 * cap, and a quiet quarter of an hour forgets them. The account's cap is short ({@code confab.auth.login.max-delay},
 * 30 s) so that an attacker cannot lock its real owner out for long; a correct password clears the account's count.
 * Registrations are a token bucket per client address.
 */
@ApplicationScoped
public class SignInThrottle {

    private static final Duration FORGET_AFTER = Duration.ofMinutes(15);

    private final Throttles throttles;
    private final Clock clock;
    private final Throttles.Penalty perAccount;
    private final Throttles.Penalty perAddress;
    private final Throttles.Bucket registrations;

    protected SignInThrottle() {
        this(null, null, 0, null, 0, 0, 0);
    }

    @Inject
    public SignInThrottle(Throttles throttles, Clock clock,
                          @ConfigProperty(name = "confab.auth.login.free-failures", defaultValue = "5") int freeFailures,
                          @ConfigProperty(name = "confab.auth.login.max-delay", defaultValue = "PT30S") Duration maxDelay,
                          @ConfigProperty(name = "confab.auth.login.address-free-failures", defaultValue = "20") int addressFreeFailures,
                          @ConfigProperty(name = "confab.auth.register.burst", defaultValue = "20") int registerBurst,
                          @ConfigProperty(name = "confab.auth.register.per-hour", defaultValue = "60") int registerPerHour) {
        this.throttles = throttles;
        this.clock = clock;
        Duration first = Duration.ofSeconds(1);
        this.perAccount = new Throttles.Penalty(freeFailures, first, maxDelay, FORGET_AFTER);
        // an address may be a whole office behind one NAT: more free failures, a longer cap
        this.perAddress = new Throttles.Penalty(addressFreeFailures, first,
                maxDelay == null ? null : maxDelay.multipliedBy(4), FORGET_AFTER);
        this.registrations = new Throttles.Bucket(registerBurst, registerPerHour / 3600.0);
    }

    /** Refuses (429) a login attempt while its account or its address is blocked. */
    void checkLogin(String accountKey, String address) {
        long now = clock.millis();
        long wait = Math.max(throttles.blockedForMillis(account(accountKey), now),
                throttles.blockedForMillis(address(address), now));
        if (wait > 0) {
            throw ApiException.tooManyRequests("too_many_attempts",
                    "Too many failed sign-ins; try again in " + ((wait + 999) / 1000) + " s", wait);
        }
    }

    void loginFailed(String accountKey, String address) {
        long now = clock.millis();
        throttles.recordFailure(account(accountKey), perAccount, now);
        throttles.recordFailure(address(address), perAddress, now);
    }

    void loginSucceeded(String accountKey) {
        throttles.forgive(account(accountKey));
    }

    /** Takes one registration from the address's allowance, or refuses (429). */
    void checkRegistration(String address) {
        long wait = throttles.take("register-address:" + address, registrations, clock.millis());
        if (wait > 0) {
            throw ApiException.tooManyRequests("too_many_registrations",
                    "Too many accounts created from this address; try again later", wait);
        }
    }

    private static String account(String accountKey) {
        return "login-account:" + accountKey;
    }

    private static String address(String address) {
        return "login-address:" + address;
    }
}
