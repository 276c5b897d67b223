package dev.confab.token;

import java.util.Collection;

/**
 * Makes a revocation seen by every node's {@link VerifiedTokenCache} before the call returns: this node's cache alone
 * on a single node, every member's in a cluster ({@code dev.confab.cluster.NodeTopology} decides which).
 */
public interface TokenRevocations {

    /** Called after the revocation is stored; returns once no node answers from its cache for these tokens. */
    void forgetEverywhere(Collection<String> tokenIds);
}
