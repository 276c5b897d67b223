package dev.confab.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import dev.confab.token.TokenRevocations;
import dev.confab.token.VerifiedTokenCache;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * A revocation forgotten by every member's token cache before it returns: a task run on all members (Hazelcast's
 * executor), each member's cache found in its member's user context ({@link Grid}). A member that leaves meanwhile
 * takes its cache with it; one that does not answer within the timeout is logged, and its entry dies at the cache's
 * maximum age at the latest.
 */
final class GridTokenRevocations implements TokenRevocations {

    private static final String EXECUTOR = "confab-token-revocations";
    static final String CACHE = "confab-token-cache";
    private static final Logger LOG = Logger.getLogger(GridTokenRevocations.class.getName());

    private final HazelcastInstance member;
    private final Duration timeout;

    GridTokenRevocations(HazelcastInstance member, Duration timeout) {
        this.member = member;
        this.timeout = timeout;
    }

    @Override
    public void forgetEverywhere(Collection<String> tokenIds) {
        Map<Member, Future<Integer>> answers = member.getExecutorService(EXECUTOR)
                .submitToAllMembers(new ForgetTokens(new ArrayList<>(tokenIds)));
        long deadline = System.nanoTime() + timeout.toNanos();
        answers.forEach((to, answer) -> {
            try {
                answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while revoking tokens on " + to, e);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof MemberLeftException || e.getCause() instanceof HazelcastInstanceNotActiveException)) {
                    throw new IllegalStateException("revoking tokens on " + to + " failed", e.getCause());
                }
            } catch (TimeoutException e) {
                LOG.warning(() -> "Member " + to + " did not confirm a token revocation within " + timeout
                        + "; its cache forgets the tokens at its maximum age at the latest");
            }
        });
    }

    /** Run on each member: forgets the tokens there. Answers how many were named. */
    static final class ForgetTokens implements Callable<Integer>, Serializable, HazelcastInstanceAware {
        @Serial
        private static final long serialVersionUID = 1L;
        private final List<String> tokenIds;
        private transient HazelcastInstance here;

        ForgetTokens(List<String> tokenIds) {
            this.tokenIds = tokenIds;
        }

        @Override
        public void setHazelcastInstance(HazelcastInstance instance) {
            this.here = instance;
        }

        @Override
        public Integer call() {
            VerifiedTokenCache cache = (VerifiedTokenCache) here.getUserContext().get(CACHE);
            if (cache == null) {
                throw new IllegalStateException("this member has no token cache in its user context");
            }
            cache.forget(tokenIds);
            return tokenIds.size();
        }
    }
}
