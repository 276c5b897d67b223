package dev.confab.token;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Deletes dead tokens on a non-persistent EJB timer. The period comes from config
 * ({@code confab.token.sweep-interval}), which a static {@code @Schedule} cannot read, so the timer is
 * created through the {@link TimerService} at start-up. Expiry itself never waits for the sweep.
 */
@Singleton
@Startup
public class TokenSweeper {

    private static final Logger LOG = Logger.getLogger(TokenSweeper.class.getName());

    @Resource
    private TimerService timerService;

    @Inject
    private Tokens tokens;

    @Inject
    @ConfigProperty(name = "confab.token.sweep-interval", defaultValue = "PT5M")
    private Duration interval;

    @PostConstruct
    void schedule() {
        long period = Math.max(1000, interval.toMillis());
        timerService.createIntervalTimer(period, period, new TimerConfig("confab-token-sweep", false));
        LOG.info(() -> "Token sweep every " + Duration.ofMillis(period));
    }

    @Timeout
    void sweep() {
        try {
            int removed = tokens.sweep();
            if (removed > 0) {
                LOG.fine(() -> "Token sweep removed " + removed + " dead tokens");
            }
        } catch (RuntimeException e) {
            // a failed sweep is retried on the next tick; an exception here would cancel the timer
            LOG.log(Level.WARNING, "Token sweep failed; will retry", e);
        }
    }
}
