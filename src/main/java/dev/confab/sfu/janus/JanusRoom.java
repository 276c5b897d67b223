package dev.confab.sfu.janus;

import dev.confab.sfu.Sfu;
import dev.confab.sfu.SfuStream;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A meeting's VideoRoom and what Confab knows of it: the room's id and secret, and per participant its
 * publishers (camera, screen: each a feed and handle of its own) and its subscriber handle with what it
 * subscribes to. Only touched in the meeting's lane.
 */
final class JanusRoom {

    /** One of a participant's sending connections: a publisher handle and its feed. */
    static final class Publisher {
        final Sfu.Source source;
        long handle;
        long feed;
        String session;
        /** Janus reported its media up (webrtcup): only then can others subscribe to it */
        boolean published;
        String audioMid;
        /** the host muted its audio at the SFU: lifted when it unmutes itself */
        boolean moderated;

        Publisher(Sfu.Source source) {
            this.source = source;
        }
    }

    /** One participant in the room. Handles are 0 while absent. */
    static final class Member {
        final String participantId;
        final Map<Sfu.Source, Publisher> publishers = new EnumMap<>(Sfu.Source.class);
        long subscriber;
        String subscriberSession;
        boolean subscribing;
        final Set<Long> subscribedFeeds = new LinkedHashSet<>();
        List<SfuStream> streams = List.of();
        /** mid of each camera feed's video in this member's subscription, for layer choices */
        final Map<Long, String> videoMidByFeed = new LinkedHashMap<>();
        boolean awaitingAnswer;

        Member(String participantId) {
            this.participantId = participantId;
        }

        Publisher publisher(Sfu.Source source) {
            return publishers.computeIfAbsent(source, Publisher::new);
        }

        Optional<Publisher> camera() {
            return Optional.ofNullable(publishers.get(Sfu.Source.CAMERA));
        }

        /** Forgets every handle (they died with the SFU, or were detached). */
        void reset() {
            publishers.clear();
            subscriber = 0;
            subscriberSession = null;
            subscribing = false;
            subscribedFeeds.clear();
            streams = List.of();
            videoMidByFeed.clear();
            awaitingAnswer = false;
        }
    }

    /** Whose a feed is. */
    record FeedOwner(Member member, Publisher publisher) {
    }

    final String meetingCode;
    final long roomId;
    final String secret;
    final Map<String, Member> members = new LinkedHashMap<>();
    /** The meeting's own Janus session, which holds its participants' handles (so that it can be claimed alone). */
    JanusSession session;
    private long lastFeed;

    JanusRoom(String meetingCode, long roomId, String secret) {
        this.meetingCode = meetingCode;
        this.roomId = roomId;
        this.secret = secret;
    }

    JanusRoomRecord record() {
        List<JanusRoomRecord.Member> kept = new ArrayList<>();
        for (Member m : members.values()) {
            List<JanusRoomRecord.Publisher> publishers = m.publishers.values().stream()
                    .map(p -> new JanusRoomRecord.Publisher(p.source, p.handle, p.feed, p.session, p.published,
                            p.audioMid, p.moderated))
                    .toList();
            kept.add(new JanusRoomRecord.Member(m.participantId, publishers, m.subscriber, m.subscriberSession,
                    m.subscribing, List.copyOf(m.subscribedFeeds), m.streams, Map.copyOf(m.videoMidByFeed),
                    m.awaitingAnswer));
        }
        return new JanusRoomRecord(meetingCode, roomId, secret, session == null ? 0 : session.id(), lastFeed,
                List.copyOf(kept));
    }

    /** The room as {@code record} left it; its session is to be claimed by the caller. */
    static JanusRoom from(JanusRoomRecord record) {
        JanusRoom room = new JanusRoom(record.meetingCode(), record.roomId(), record.secret());
        room.lastFeed = record.lastFeed();
        for (JanusRoomRecord.Member m : record.members()) {
            Member member = room.member(m.participantId());
            for (JanusRoomRecord.Publisher p : m.publishers()) {
                Publisher publisher = member.publisher(p.source());
                publisher.handle = p.handle();
                publisher.feed = p.feed();
                publisher.session = p.session();
                publisher.published = p.published();
                publisher.audioMid = p.audioMid();
                publisher.moderated = p.moderated();
            }
            member.subscriber = m.subscriber();
            member.subscriberSession = m.subscriberSession();
            member.subscribing = m.subscribing();
            member.subscribedFeeds.addAll(m.subscribedFeeds());
            member.streams = m.streams();
            member.videoMidByFeed.putAll(m.videoMidByFeed());
            member.awaitingAnswer = m.awaitingAnswer();
        }
        return room;
    }

    Member member(String participantId) {
        return members.computeIfAbsent(participantId, Member::new);
    }

    long nextFeed() {
        return ++lastFeed;
    }

    Optional<FeedOwner> ownerOf(long feed) {
        for (Member member : members.values()) {
            for (Publisher publisher : member.publishers.values()) {
                if (publisher.feed == feed) {
                    return Optional.of(new FeedOwner(member, publisher));
                }
            }
        }
        return Optional.empty();
    }

    /** The feeds {@code member} should receive: everyone else's that are published. */
    List<Long> feedsFor(Member member) {
        List<Long> feeds = new ArrayList<>();
        for (Member other : members.values()) {
            if (other != member) {
                other.publishers.values().stream().filter(p -> p.published).forEach(p -> feeds.add(p.feed));
            }
        }
        return feeds;
    }
}
