package dev.confab.sfu.janus;

import dev.confab.sfu.Sfu;
import dev.confab.sfu.SfuStream;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A {@link JanusRoom} as another node needs it to drive the room on: the VideoRoom's id and secret, the meeting's
 * Janus session (to claim) and each participant's handles and subscription state. Kept after every change by the
 * node that drives the room.
 */
record JanusRoomRecord(String meetingCode, long roomId, String secret, long sessionId, long lastFeed,
                       List<Member> members) implements Serializable {

    record Publisher(Sfu.Source source, long handle, long feed, String session, boolean published, String audioMid,
                     boolean moderated) implements Serializable {
    }

    record Member(String participantId, List<Publisher> publishers, long subscriber, String subscriberSession,
                  boolean subscribing, List<Long> subscribedFeeds, List<SfuStream> streams,
                  Map<Long, String> videoMidByFeed, boolean awaitingAnswer) implements Serializable {
    }
}
