package dev.confab.sfu.janus;

import dev.confab.sfu.SfuStream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A meeting's VideoRoom and what Confab knows of it: the room's id and secret, and per participant its feed id,
 * publisher and subscriber handles and what it subscribes to. Only touched in the meeting's lane.
 */
final class JanusRoom {

    /** One participant in the room. Handles are 0 while absent. */
    static final class Member {
        final String participantId;
        long feed;
        long publisher;
        String publisherSession;
        boolean published;
        boolean subscribing;
        String audioMid;
        /** the host muted its audio at the SFU: lifted when it unmutes itself */
        boolean moderated;
        long subscriber;
        String subscriberSession;
        final Set<Long> subscribedFeeds = new LinkedHashSet<>();
        List<SfuStream> streams = List.of();
        /** mid of each feed's video in this member's subscription, for layer choices */
        final Map<Long, String> videoMidByFeed = new LinkedHashMap<>();
        boolean awaitingAnswer;
        boolean updatePending;

        Member(String participantId) {
            this.participantId = participantId;
        }

        /** Forgets every handle (they died with the SFU, or were detached). */
        void reset() {
            publisher = 0;
            publisherSession = null;
            published = false;
            subscribing = false;
            audioMid = null;
            moderated = false;
            subscriber = 0;
            subscriberSession = null;
            subscribedFeeds.clear();
            streams = List.of();
            videoMidByFeed.clear();
            awaitingAnswer = false;
            updatePending = false;
        }
    }

    final String meetingCode;
    final long roomId;
    final String secret;
    final Map<String, Member> members = new LinkedHashMap<>();
    private long lastFeed;

    JanusRoom(String meetingCode, long roomId, String secret) {
        this.meetingCode = meetingCode;
        this.roomId = roomId;
        this.secret = secret;
    }

    Member member(String participantId) {
        return members.computeIfAbsent(participantId, Member::new);
    }

    long nextFeed() {
        return ++lastFeed;
    }

    Optional<Member> byFeed(long feed) {
        return members.values().stream().filter(m -> m.feed == feed).findFirst();
    }

    /** The feeds {@code member} should receive: everyone else's that is published. */
    List<Long> feedsFor(Member member) {
        List<Long> feeds = new ArrayList<>();
        for (Member other : members.values()) {
            if (other != member && other.published) {
                feeds.add(other.feed);
            }
        }
        return feeds;
    }
}
