package dev.confab.signaling;

import dev.confab.chat.ChatMessage;
import dev.confab.chat.ChatService;
import dev.confab.common.ApiException;
import dev.confab.ice.IceServers;
import dev.confab.meeting.Ban;
import dev.confab.meeting.Meeting;
import dev.confab.meeting.MeetingEnded;
import dev.confab.meeting.Meetings;
import dev.confab.meeting.Participation;
import dev.confab.throttle.Throttles;
import dev.confab.token.SessionsEnded;
import dev.confab.token.TokenCodec;
import dev.confab.token.TokenKind;
import dev.confab.token.Tokens;
import dev.confab.token.VerifiedToken;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextService;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.Session;

import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What happens in a meeting: joining (and waiting in the lobby), relaying signals, chat, media and hand state,
 * reactions, leaving, and liveness; the host's actions are {@link HostActions}. {@link MessageRouter} decides which
 * of these a message asks for.
 *
 * <p>Two paths: what only touches the live room (signals, media, hand, mute, leave) runs on the socket's own
 * thread, under the room's lock where it changes the room; what needs the store (join, chat, remove, lock,
 * unlock, end) runs in the meeting's lane ({@link MeetingLanes}): the store I/O outside any lock, then a short
 * locked step on the room. Chat is the one thing refused ({@code busy}) when the server is past what it can carry.
 */
@ApplicationScoped
public class SignalingService {

    private static final Logger LOG = Logger.getLogger(SignalingService.class.getName());

    private final RoomRegistry rooms;
    private final Sockets sockets;
    private final LocalSockets here;
    private final MeetingLanes lanes;
    private final Meetings meetings;
    private final Tokens tokens;
    private final ChatService chat;
    private final SignalingSettings settings;
    private final IceServers iceServers;
    private final UnjoinedSockets unjoined;
    private final Throttles throttles;
    private final MediaModes mediaModes;
    private final Clock clock;
    private final Event<ModeratorNeeded> moderatorNeeded;
    private final Throttles.Bucket joinAttempts;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    /** The heartbeat's judgement of mass silence (its thread only); 10 timeouts at most. */
    private final SilentCrowd silentCrowd;

    @Resource
    private ManagedExecutorService executor;

    @Resource
    private ContextService contexts;

    /**
     * Where sockets are closed (on another thread: see {@link SessionTransport#close}). A send may overflow a
     * socket's queue and close it on whatever thread sent, a grid thread included, which carries no EE context: the
     * managed executor is therefore reached through a contextual proxy made at deployment, so that the cluster's
     * inbox can hand plain sends to sockets without an EE context of their own.
     */
    private Executor closer;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    protected SignalingService() {
        this(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Inject
    public SignalingService(RoomRegistry rooms, Sockets sockets, LocalSockets here, MeetingLanes lanes, Meetings meetings, Tokens tokens,
                            ChatService chat, SignalingSettings settings, IceServers iceServers,
                            UnjoinedSockets unjoined, Throttles throttles, MediaModes mediaModes, Clock clock,
                            Event<ModeratorNeeded> moderatorNeeded) {
        this.rooms = rooms;
        this.sockets = sockets;
        this.here = here;
        this.lanes = lanes;
        this.meetings = meetings;
        this.tokens = tokens;
        this.chat = chat;
        this.settings = settings;
        this.iceServers = iceServers;
        this.unjoined = unjoined;
        this.throttles = throttles;
        this.mediaModes = mediaModes;
        this.clock = clock;
        this.moderatorNeeded = moderatorNeeded;
        this.joinAttempts = settings == null ? null
                : new Throttles.Bucket(settings.joinBurst(), settings.joinsPerMinute() / 60.0);
        this.silentCrowd = new SilentCrowd(settings == null ? 0 : 10 * settings.heartbeatTimeout().toMillis());
    }

    @PostConstruct
    void makeCloser() {
        closer = contexts.createContextualProxy((Executor) executor::execute, Executor.class);
    }

    // ---------- socket life ----------

    Connection opened(Session session, String meetingCode, String clientAddress) {
        Outbox outbox = new Outbox(new SessionTransport(session, closer), settings.outboxBytes(), clock::millis);
        RateLimiter limiter = new RateLimiter(settings.ratePerSecond(), settings.rateBurst(), settings.rateStrikes(),
                System.nanoTime());
        RateLimiter reactions = new RateLimiter(settings.reactionsPerSecond(), settings.reactionBurst(),
                Double.MAX_VALUE, System.nanoTime()); // too many reactions are refused, never a reason to close
        boolean admitted = unjoined.open(clientAddress);
        Connection connection = new Connection(here.nextRef(), meetingCode, clientAddress, outbox, limiter, reactions,
                clock.millis(), admitted);
        open.add(connection);
        here.register(connection);
        if (!admitted) { // several handshakes passed the guard at once: the cap still holds
            connection.close(CloseCodes.TRY_AGAIN_LATER, "Too many connections that have not joined");
        }
        return connection;
    }

    void seen(Connection connection) {
        connection.seen(clock.millis(), settings.heartbeatInterval().toMillis());
    }

    /**
     * The socket is gone, with {@code closeCode} (the server's own when it closed it). Closed for a fault of the
     * client's (a frame too big, binary, a flood), its participant leaves at once; otherwise (network loss, a
     * closed laptop) it keeps its place for the reconnect grace period, so that a re-join is seamless for the
     * others. A socket the heartbeat dropped has been dealt with already.
     */
    void closed(Connection connection, int closeCode) {
        Participant knocking = connection.knocking();
        Participant who = connection.markGone();
        stopCountingAsUnjoined(connection);
        here.forget(connection);
        if (!open.remove(connection)) {
            return;
        }
        if (who == null) {
            if (knocking != null) {
                leaveLobbyLater(connection, knocking, CLIENT_FAULTS.contains(closeCode));
            }
            return;
        }
        if (CLIENT_FAULTS.contains(closeCode)) {
            depart(connection);
        } else {
            holdSeat(connection);
        }
    }

    /**
     * Heartbeat tick for one slice of the sockets ({@code slice} of {@code slices}, by identity): pings quiet
     * ones, drops silent ones, closes those that never joined. A socket is dropped only when the client is to
     * blame: a ping that left long enough ago is unanswered (or a write to it has been stuck that long), and the
     * server itself is not behind ({@code serverStalled}: the heartbeat ran late; or chat is being shed; or a
     * crowd of sockets went silent together, see {@link SilentCrowd}). While behind, nobody is dropped: their
     * answers may simply be waiting to be read.
     */
    void checkLiveness(int slice, int slices, boolean serverStalled) {
        long now = clock.millis();
        long joinTimeout = settings.joinTimeout().toMillis();
        long heartbeatTimeout = settings.heartbeatTimeout().toMillis();
        long heartbeatInterval = settings.heartbeatInterval().toMillis();
        long pingOutFor = Math.max(heartbeatInterval, heartbeatTimeout - heartbeatInterval);
        int joined = 0;
        int silent = 0;
        for (Connection connection : open) { // all slices: whether this is a crowd or a few clients
            if (!connection.isClosing() && connection.participant() != null) {
                joined++;
                // overdue, if not yet due: sockets that went silent together fall due a few ticks apart
                boolean overdue = now - connection.lastSeenMillis() > pingOutFor
                        && connection.unansweredPingMillis(now) >= heartbeatInterval;
                // or answering, but late: when the container's queue makes every answer wait about the timeout,
                // only some are silent at any one moment, and the next in line would be dropped
                boolean lately = connection.answeredLateWithin(now, heartbeatTimeout);
                if (overdue || lately) {
                    silent++;
                }
            }
        }
        boolean behind = serverStalled || lanes.isBehind() || silentCrowd.defersDrops(silent, joined, now);
        for (Connection connection : open) {
            if (connection.isClosing() || Math.floorMod(System.identityHashCode(connection), slices) != slice) {
                continue;
            }
            long quiet = now - connection.lastSeenMillis();
            if (!behind && dropDue(connection, now, heartbeatTimeout, pingOutFor)) {
                open.remove(connection); // its close may never be acknowledged
                here.forget(connection);
                int silentNow = silent;
                int joinedNow = joined;
                LOG.info(() -> "Dropping a socket of meeting " + connection.meetingCode() + ": nothing heard for "
                        + quiet + " ms, ping unanswered for " + connection.unansweredPingMillis(now)
                        + " ms, write stalled for " + connection.writeStalledMillis(now) + " ms; " + silentNow
                        + " of " + joinedNow + " joined sockets silent");
                Participant knocking = connection.knocking();
                if (connection.markGone() != null) {
                    holdSeat(connection);
                } else if (knocking != null) {
                    leaveLobbyLater(connection, knocking, false);
                }
                connection.abort(CloseCodes.GOING_AWAY, "No heartbeat");
            } else if (!connection.hasAskedToJoin() && now - connection.openedAtMillis() > joinTimeout) {
                connection.close(CloseCodes.JOIN_TIMEOUT, "No join message in time");
            } else if (quiet >= heartbeatInterval) {
                connection.ping();
            }
        }
    }

    /** Silent past the timeout, and the client is to blame: a ping out long enough, or a write stuck. */
    private static boolean dropDue(Connection connection, long now, long heartbeatTimeout, long pingOutFor) {
        boolean clientToBlame = connection.unansweredPingMillis(now) >= pingOutFor
                || connection.writeStalledMillis(now) > heartbeatTimeout;
        return now - connection.lastSeenMillis() > heartbeatTimeout && clientToBlame;
    }

    // ---------- messages ----------

    void join(Connection connection, ClientMessages.Join message) {
        if (!connection.startJoining()) {
            throw ApiException.badRequest("already_joined", "This socket has already joined");
        }
        if (TokenCodec.wellFormed(message.token())) {
            long wait = throttles.take("join-token:" + TokenCodec.hash(message.token()), joinAttempts, clock.millis());
            if (wait > 0) {
                throw new Disconnect(CloseCodes.RATE_LIMITED, "Too many join attempts with this token");
            }
        }
        inLane(connection, "join", MeetingLanes.Priority.ESSENTIAL, () -> seat(connection, message));
    }

    /**
     * The join itself, in the meeting's lane: the token, the meeting, a ban and the history are read outside any
     * lock, and nothing else that changes who may be here (lock, removal, end) or what the history holds (chat)
     * can run in between, because those go through the same lane. Then the room takes the seat under its lock.
     */
    private void seat(Connection connection, ClientMessages.Join message) {
        String code = connection.meetingCode();
        Meeting meeting = meetings.lookup(code)
                .orElseThrow(() -> new Disconnect(CloseCodes.UNKNOWN_MEETING, "No meeting has this code"));
        if (!meeting.isOpen()) {
            throw new Disconnect(CloseCodes.MEETING_ENDED, "This meeting has ended");
        }
        Optional<VerifiedToken> verified = Optional.ofNullable(message.token()).flatMap(tokens::verify)
                .filter(t -> t.kind() == TokenKind.PARTICIPANT && code.equals(t.meetingCode()));
        if (verified.isEmpty()) {
            throw refusedToken(code, message.token());
        }
        Participation participation = meetings.participation(verified.get().participantId())
                .filter(p -> code.equals(p.meetingCode()))
                .orElseThrow(SignalingService::invalidToken);
        if (meetings.isBanned(participation)) {
            throw removedDisconnect();
        }
        if (participation.isGuest() && meeting.signedInOnly()) {
            throw new Disconnect(CloseCodes.SIGN_IN_REQUIRED, "This meeting is for signed-in people");
        }
        Participant who = new Participant(participation.id(), participation.displayName(), participation.isHost(),
                participation.isCohost(), participation.userId());
        if (!participation.mayPassLobby()) {
            if (meeting.lobbyOn() || participation.outsiderWaiting()) {
                knock(connection, who, meeting);
                return;
            }
            meetings.admit(participation); // it joined while the lobby was on; it is off now
        }
        enter(connection, who, meeting, false);
    }

    /**
     * Takes the seat (in the meeting's lane): history, bans and the SFU are read or opened outside any lock, then
     * the room seats the participant under its lock and tells everyone. {@code fromLobby}: a host or co-host let
     * it in, which a lock does not undo.
     */
    void enter(Connection connection, Participant who, Meeting meeting, boolean fromLobby) {
        String code = connection.meetingCode();
        List<ChatMessage> history = chat.history(code, who.id());
        List<Ban> bans = who.moderator() ? meetings.bans(code) : List.of();
        boolean sfuReady = mediaModes.prepareJoin(code, who.id()); // may open the SFU room: outside the lock
        boolean heirWanted = rooms.inRoom(code, room -> {
            Optional<Seat> previous = room.seat(who.id());
            if (meeting.locked() && !who.host() && previous.isEmpty() && !fromLobby) {
                throw new Disconnect(CloseCodes.LOCKED, "The host has locked this meeting");
            }
            boolean wasWaiting = room.removeWaiter(who.id()).isPresent();
            if (!connection.admit(who)) {
                if (wasWaiting) {
                    sockets.tellModeratorsWhoWaits(room);
                }
                return false; // the socket closed while its join waited: it takes no seat
            }
            List<Seat> others = room.seats().stream().filter(s -> !s.id().equals(who.id())).toList();
            Seat seat = previous.map(p -> new Seat(who, connection.ref(), p.state(), p.order()))
                    .orElseGet(() -> new Seat(who, connection.ref(), MediaState.INITIAL, room.nextOrder()));
            room.put(seat);
            // resumed: the others kept this participant all along (and their media connections with it);
            // departed: they were told it left, and closed their connections with it
            boolean departed = room.forgetDeparture(who.id());
            MediaMode mode = mediaModes.seated(room, seat, sfuReady);
            // through Sockets, like everything said inside a room: a cluster holds it until the room is stored
            sockets.send(connection.ref(), Outgoing.welcome(who, meeting, room.startedAt(clock.millis()), others, history,
                    iceServers.forParticipant(who.id()), previous.isPresent(), departed, bans,
                    who.moderator() ? room.waiting() : List.of(), mode));
            if (previous.isPresent()) {
                // same participant, newer socket (perhaps on another node): the others see no change
                sockets.close(previous.get().socket(), CloseCodes.REPLACED, "Joined again from another socket");
            } else {
                sockets.broadcast(room, who.id(), Outgoing.participantJoined(seat));
            }
            if (wasWaiting) {
                sockets.tellModeratorsWhoWaits(room);
            }
            return !who.moderator() && !room.waiting().isEmpty();
        });
        stopCountingAsUnjoined(connection);
        if (heirWanted) {
            moderatorNeeded.fire(new ModeratorNeeded(code));
        }
    }

    /**
     * The lobby: the newcomer is told it waits (and nothing else of the meeting), the hosts and co-hosts see it
     * knock. A re-join of someone already waiting (a reconnect) keeps its place in the line.
     */
    private void knock(Connection connection, Participant who, Meeting meeting) {
        String code = connection.meetingCode();
        boolean nobodyToAdmit = rooms.inRoom(code, room -> {
            if (meeting.locked()) {
                throw new Disconnect(CloseCodes.LOCKED, "The host has locked this meeting");
            }
            if (!connection.knock(who)) {
                return false; // closed while its join waited
            }
            Optional<Waiter> previous = room.waiter(who.id());
            room.putWaiter(new Waiter(who, connection.ref(), previous.map(Waiter::since).orElseGet(clock::millis)));
            sockets.send(connection.ref(), Outgoing.waiting(who, meeting));
            previous.filter(p -> !p.socket().equals(connection.ref())).ifPresent(p ->
                    sockets.close(p.socket(), CloseCodes.REPLACED, "Joined again from another socket"));
            sockets.tellModeratorsWhoWaits(room);
            List<Seat> seats = room.seats();
            return !seats.isEmpty() && seats.stream().noneMatch(s -> s.participant().moderator());
        });
        stopCountingAsUnjoined(connection);
        if (nobodyToAdmit) {
            moderatorNeeded.fire(new ModeratorNeeded(code));
        }
    }

    /** A waiting socket closed: its place in the lobby is kept for the reconnect grace (none after its own fault). */
    private void leaveLobbyLater(Connection connection, Participant who, boolean now) {
        leaveLobbyLater(connection.meetingCode(), who.id(), connection.ref(), now);
    }

    /** Takes the participant out of the lobby after the grace period, if {@code socket} still holds its place. */
    private void leaveLobbyLater(String code, String participantId, SocketRef socket, boolean now) {
        afterGrace(now, () -> rooms.inRoom(code, room -> {
            room.waiter(participantId).filter(w -> w.socket().equals(socket)).ifPresent(w -> {
                room.removeWaiter(participantId);
                sockets.tellModeratorsWhoWaits(room);
            });
            return null;
        }), "a waiting participant's");
    }

    void signal(Connection connection, ClientMessages.Signal message) {
        Participant who = connection.participant();
        Seat target = otherSeat(connection, who, message.to());
        sockets.send(target.socket(), Outgoing.signal(who.id(), message.data()));
    }

    /**
     * Checks the message here, then stores and delivers it in the meeting's lane; refused ({@code busy}, with a
     * retry hint and the message's {@code clientId}) when the server is behind on chat, so that nobody's signals
     * or liveness suffer for it.
     */
    void chat(Connection connection, ClientMessages.Chat message) {
        Participant who = connection.participant();
        String to = message.to();
        if (to != null && to.equals(who.id())) {
            throw ApiException.badRequest("invalid_target", "A private message needs another participant");
        }
        ChatService.validText(message.text());
        boolean queued = lanes.submitAsync(connection.meetingCode(), MeetingLanes.Priority.SHEDDABLE,
                () -> guardedAsync(connection, "chat", () -> post(connection, who, message)));
        if (!queued) {
            connection.send(Outgoing.busy("chat", lanes.retryAfterMillis(), message.clientId()));
        }
    }

    /** Stores the message (in the next group commit), then delivers it; the meeting's lane waits for both. */
    private CompletionStage<?> post(Connection connection, Participant who, ClientMessages.Chat message) {
        String code = connection.meetingCode();
        String to = message.to();
        long at = rooms.inRoom(code, room -> {
            if (to != null && room.seat(to).isEmpty()) {
                throw unknownParticipant();
            }
            return room.nextChatTime(clock.millis());
        });
        // stored outside the lock; the lane keeps the meeting's chat in one order
        return chat.post(code, who.id(), who.name(), to, message.text(), message.clientId(), at)
                .thenAcceptAsync(posted -> deliver(connection, posted), lanes.executor());
    }

    private void deliver(Connection connection, ChatService.Posted posted) {
        String to = posted.message().to();
        String json = Outgoing.chat(posted.message());
        rooms.inRoom(connection.meetingCode(), room -> {
            if (posted.repeat()) {
                sockets.send(connection.ref(), json); // a re-send after a reconnect: the sender learns it arrived, nobody sees it twice
            } else if (to != null) {
                sockets.send(connection.ref(), json);
                room.seat(to).ifPresent(recipient -> sockets.send(recipient.socket(), json));
            } else {
                sockets.broadcast(room, null, json);
            }
            return null;
        });
    }

    void media(Connection connection, ClientMessages.Media message) {
        if (message.audio()) { // its own unmute lifts a host's mute at the SFU
            mediaModes.muted(connection.meetingCode(), connection.participant().id(), false);
        }
        updateState(connection, state -> state.withMedia(message.audio(), message.video(), message.screen()),
                (id, state) -> Outgoing.media(id, state));
    }

    void hand(Connection connection, ClientMessages.Hand message) {
        updateState(connection, state -> state.withHand(message.raised()), (id, state) -> Outgoing.hand(id, state.hand()));
    }

    /**
     * A host let this node's socket in from the lobby (stored already, perhaps by another node): it takes its seat
     * in the meeting's lane, unless it left the lobby or the meeting ended meanwhile.
     */
    void onLetIn(@Observes LetIn event) {
        Connection connection = event.connection();
        Participant who = connection.knocking();
        if (who == null) {
            return;
        }
        inLane(connection, "join", MeetingLanes.Priority.ESSENTIAL, () -> meetings.lookup(connection.meetingCode())
                .filter(Meeting::isOpen).ifPresent(meeting -> enter(connection, who, meeting, true)));
    }

    /** Someone in the lobby gives up waiting: gone from the line at once. */
    void withdraw(Connection connection) {
        Participant who = connection.knocking();
        if (who != null) {
            leaveLobbyLater(connection, who, true);
        }
        connection.retire();
        connection.close(CloseCodes.NORMAL, "Left the lobby");
    }

    void leave(Connection connection, ClientMessages.Leave message) {
        depart(connection);
        connection.close(CloseCodes.NORMAL, "Left the meeting");
    }

    /** Floats over the sender's tile for everyone, the sender included; a few a second at most. */
    void reaction(Connection connection, ClientMessages.Reaction message) {
        if (!connection.admitReaction(System.nanoTime())) {
            throw new ApiException(429, "rate_limited", "Too many reactions; this one was dropped");
        }
        String json = Outgoing.reaction(connection.participant().id(), message.emoji());
        rooms.inRoom(connection.meetingCode(), room -> {
            sockets.broadcast(room, null, json);
            return null;
        });
    }

    /**
     * People whose sign-in ended at the company's provider: their tokens are already revoked; their sockets close
     * now with 4406, without a grace period (they are not coming back with those tokens), and the others see them
     * leave. In each meeting's lane, like a removal.
     */
    void onSessionsEnded(@Observes SessionsEnded event) {
        Map<String, Set<String>> byMeeting = new HashMap<>();
        event.participants().forEach(p ->
                byMeeting.computeIfAbsent(p.meetingCode(), c -> new HashSet<>()).add(p.participantId()));
        byMeeting.forEach((code, ids) -> lanes.submit(code, MeetingLanes.Priority.ESSENTIAL, () -> {
            boolean moderatorLeft = rooms.inRoom(code, room -> {
                boolean moderatorGone = false;
                boolean lobbyChanged = false;
                for (String id : ids) {
                    Optional<Seat> seat = room.remove(id);
                    if (seat.isPresent()) {
                        mediaModes.removed(code, room, id);
                        signedOut(seat.get().socket());
                        sockets.broadcast(room, null, Outgoing.participantLeft(id));
                        moderatorGone |= seat.get().participant().moderator();
                    }
                    Optional<Waiter> waiter = room.removeWaiter(id);
                    waiter.ifPresent(w -> signedOut(w.socket()));
                    lobbyChanged |= waiter.isPresent();
                }
                if (lobbyChanged) {
                    sockets.tellModeratorsWhoWaits(room);
                }
                return moderatorGone;
            });
            if (moderatorLeft) {
                moderatorNeeded.fire(new ModeratorNeeded(code));
            }
        }));
    }

    private void signedOut(SocketRef socket) {
        sockets.close(socket, CloseCodes.SIGNED_OUT, "Your sign-in has ended");
    }

    /** However a meeting ends (host's socket or REST), everyone in it is told and disconnected, in its lane. */
    void onMeetingEnded(@Observes MeetingEnded event) {
        mediaModes.ended(event.code());
        lanes.submit(event.code(), MeetingLanes.Priority.ESSENTIAL, () -> rooms.inRoom(event.code(), room -> {
            for (Seat seat : room.seats()) {
                room.remove(seat.id());
                tellItEnded(seat.socket());
            }
            for (Waiter waiter : room.waiting()) { // the lobby is told too: nobody waits for a meeting that is over
                room.removeWaiter(waiter.id());
                tellItEnded(waiter.socket());
            }
            return null;
        }));
    }

    // ---------- helpers ----------

    private void tellItEnded(SocketRef socket) {
        sockets.send(socket, Outgoing.meetingEnded());
        sockets.close(socket, CloseCodes.MEETING_ENDED, "The meeting has ended");
    }

    /** Close codes the server sends for a client's fault: no grace period after these. */
    private static final Set<Integer> CLIENT_FAULTS = Set.of(CloseCodes.UNSUPPORTED_DATA, CloseCodes.TOO_BIG,
            CloseCodes.RATE_LIMITED);

    /** Queues essential work for the connection's meeting; refusals inside it reach the connection. */
    private void inLane(Connection connection, String ref, MeetingLanes.Priority priority, Runnable work) {
        lanes.submit(connection.meetingCode(), priority, () -> guarded(connection, ref, work));
    }

    /**
     * Runs work for a connection's message of type {@code ref} — on the socket's thread or in a lane — and turns
     * its refusals into that connection's {@code error} reply ({@link ApiException}) or close ({@link Disconnect});
     * anything else is logged with an incident id and answered {@code internal_error}.
     */
    static void guarded(Connection connection, String ref, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            report(connection, ref, e);
        }
    }

    /**
     * {@link #guarded} for work that finishes later: a refusal thrown at once or completing its stage reaches the
     * connection the same way. The returned stage always completes normally, once the work's has.
     */
    static CompletionStage<?> guardedAsync(Connection connection, String ref, Supplier<CompletionStage<?>> work) {
        CompletionStage<?> stage;
        try {
            stage = work.get();
        } catch (RuntimeException e) {
            report(connection, ref, e);
            return CompletableFuture.completedFuture(null);
        }
        return stage.handle((result, failure) -> {
            if (failure != null) {
                report(connection, ref, failure instanceof CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause() : failure);
            }
            return null;
        });
    }

    private static void report(Connection connection, String ref, Throwable failure) {
        if (failure instanceof ApiException refusal) {
            connection.send(Outgoing.error(refusal.code(), refusal.getMessage(), ref));
        } else if (failure instanceof Disconnect disconnect) {
            connection.close(disconnect.code(), disconnect.reason());
        } else {
            connection.send(Outgoing.error("internal_error",
                    "Something went wrong on the server (incident " + incident(failure) + ")", ref));
        }
    }

    private void stopCountingAsUnjoined(Connection connection) {
        if (connection.stopCountingAsUnjoined()) {
            unjoined.release(connection.clientAddress());
        }
    }

    /** Keeps the participant's seat for the grace period; it leaves then unless it has re-joined meanwhile. */
    private void holdSeat(Connection connection) {
        // a no-op then if a newer socket holds the seat, or the seat is gone
        afterGrace(false, () -> depart(connection), "a participant's");
    }

    /** Runs {@code work} once the reconnect grace period is over (at once when {@code now} or there is none). */
    private void afterGrace(boolean now, Runnable work, String whose) {
        long graceMillis = now ? 0 : settings.reconnectGrace().toMillis();
        if (graceMillis <= 0) {
            work.run();
            return;
        }
        scheduler.schedule(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Could not end " + whose + " grace period", e);
            }
        }, graceMillis, TimeUnit.MILLISECONDS);
    }

    /** Takes the participant out of its room (if this socket still holds its seat) and tells the others. */
    private void depart(Connection connection) {
        Participant who = connection.participant();
        if (who == null) {
            return;
        }
        connection.retire();
        departSeat(connection.meetingCode(), who.id(), connection.ref());
    }

    /** Takes the participant out of the room if {@code socket} still holds its seat, and tells the others. */
    private void departSeat(String code, String participantId, SocketRef socket) {
        Optional<Seat> gone = rooms.inRoom(code, room -> {
            Optional<Seat> seat = room.seat(participantId).filter(s -> s.socket().equals(socket));
            seat.ifPresent(s -> {
                room.remove(s.id());
                room.markDeparted(s.id());
                sockets.broadcast(room, null, Outgoing.participantLeft(s.id()));
                mediaModes.departed(code, room, s.id());
            });
            return seat;
        });
        if (gone.isPresent() && gone.get().participant().moderator()) {
            moderatorNeeded.fire(new ModeratorNeeded(code));
        }
    }

    /**
     * Another node of the cluster is gone, and with it its sockets: their people keep their seats (and places in
     * the lobby) for the reconnect grace period, from now, as if each socket had just closed. Called on one node
     * of those left.
     */
    public void nodeLost(String node) {
        for (String code : rooms.meetingCodes()) {
            rooms.inRoom(code, room -> {
                room.seats().stream().filter(s -> s.socket().node().equals(node)).forEach(s ->
                        afterGrace(false, () -> departSeat(code, s.id(), s.socket()), "a lost node's participant's"));
                room.waiting().stream().filter(w -> w.socket().node().equals(node)).forEach(w ->
                        leaveLobbyLater(code, w.id(), w.socket(), false));
                return null;
            });
        }
    }

    private void updateState(Connection connection, UnaryOperator<MediaState> change,
                             BiFunction<String, MediaState, String> render) {
        Participant who = connection.participant();
        rooms.inRoom(connection.meetingCode(), room -> {
            Seat seat = room.seat(who.id()).filter(s -> s.socket().equals(connection.ref()))
                    .orElseThrow(() -> ApiException.badRequest("not_joined", "This socket no longer speaks for a participant"));
            Seat updated = seat.withState(change.apply(seat.state()));
            room.put(updated);
            sockets.broadcast(room, who.id(), render.apply(who.id(), updated.state()));
            return updated;
        });
    }

    private Seat otherSeat(Connection connection, Participant who, String id) {
        return otherSeat(rooms, connection, who, id);
    }

    /** The seat of {@code id} in the connection's meeting, refused when it is the sender itself or nobody here. */
    static Seat otherSeat(RoomRegistry rooms, Connection connection, Participant who, String id) {
        if (id.equals(who.id())) {
            throw ApiException.badRequest("invalid_target", "The target must be another participant");
        }
        return rooms.seat(connection.meetingCode(), id).orElseThrow(SignalingService::unknownParticipant);
    }

    /** 4403 for the old token of someone the host removed (while the sweep has not deleted it), else 4401. */
    private Disconnect refusedToken(String code, String token) {
        boolean removed = tokens.participantOf(token).flatMap(meetings::participation)
                .filter(p -> code.equals(p.meetingCode())).map(meetings::isBanned).orElse(false);
        return removed ? removedDisconnect() : invalidToken();
    }

    private static Disconnect removedDisconnect() {
        return new Disconnect(CloseCodes.REMOVED, "The host removed you from this meeting");
    }

    private static Disconnect invalidToken() {
        return new Disconnect(CloseCodes.INVALID_TOKEN, "Invalid, expired or revoked token, or one for another meeting");
    }

    static ApiException unknownParticipant() {
        return ApiException.badRequest("unknown_participant", "No participant with this id is in this meeting");
    }

    /** Logs a handler's unexpected failure with an incident id the client also sees. */
    private static String incident(Throwable failure) {
        String id = java.util.UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Signalling incident " + id, failure);
        return id;
    }
}
