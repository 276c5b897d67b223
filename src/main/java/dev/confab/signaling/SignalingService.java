package dev.confab.signaling;

import dev.confab.chat.ChatMessage;
import dev.confab.chat.ChatService;
import dev.confab.ice.IceServers;
import dev.confab.common.ApiException;
import dev.confab.meeting.Meeting;
import dev.confab.meeting.MeetingEnded;
import dev.confab.meeting.Meetings;
import dev.confab.meeting.Participation;
import dev.confab.token.TokenKind;
import dev.confab.token.Tokens;
import dev.confab.token.VerifiedToken;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.websocket.Session;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What happens in a meeting: joining, relaying signals, chat, media and hand state, leaving, the host's actions,
 * and liveness. {@link MessageRouter} decides which of these a message asks for.
 */
@ApplicationScoped
public class SignalingService {

    private static final Logger LOG = Logger.getLogger(SignalingService.class.getName());

    private final RoomRegistry rooms;
    private final Meetings meetings;
    private final Tokens tokens;
    private final ChatService chat;
    private final SignalingSettings settings;
    private final IceServers iceServers;
    private final Clock clock;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    @Resource
    private ManagedExecutorService executor;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    protected SignalingService() {
        this(null, null, null, null, null, null, null);
    }

    @Inject
    public SignalingService(RoomRegistry rooms, Meetings meetings, Tokens tokens, ChatService chat,
                            SignalingSettings settings, IceServers iceServers, Clock clock) {
        this.rooms = rooms;
        this.meetings = meetings;
        this.tokens = tokens;
        this.chat = chat;
        this.settings = settings;
        this.iceServers = iceServers;
        this.clock = clock;
    }

    // ---------- socket life ----------

    Connection opened(Session session, String meetingCode) {
        Outbox outbox = new Outbox(new SessionTransport(session, executor), settings.outboxLimit());
        RateLimiter limiter = new RateLimiter(settings.ratePerSecond(), settings.rateBurst(), settings.rateStrikes(),
                System.nanoTime());
        Connection connection = new Connection(meetingCode, outbox, limiter, clock.millis());
        open.add(connection);
        return connection;
    }

    void seen(Connection connection) {
        connection.seen(clock.millis());
    }

    /**
     * The socket is gone, with {@code closeCode} (the server's own when it closed it). Closed for a fault of the
     * client's (a frame too big, binary, a flood), its participant leaves at once; otherwise (network loss, a
     * closed laptop) it keeps its place for the reconnect grace period, so that a re-join is seamless for the
     * others. A socket the heartbeat dropped has been dealt with already.
     */
    void closed(Connection connection, int closeCode) {
        if (!open.remove(connection)) {
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
     * ones, drops silent ones, closes those that never joined.
     */
    void checkLiveness(int slice, int slices) {
        long now = clock.millis();
        long joinTimeout = settings.joinTimeout().toMillis();
        long heartbeatTimeout = settings.heartbeatTimeout().toMillis();
        long heartbeatInterval = settings.heartbeatInterval().toMillis();
        for (Connection connection : open) {
            if (connection.isClosing() || Math.floorMod(System.identityHashCode(connection), slices) != slice) {
                continue;
            }
            if (now - connection.lastSeenMillis() > heartbeatTimeout) {
                open.remove(connection); // its close may never be acknowledged
                holdSeat(connection);
                connection.close(CloseCodes.GOING_AWAY, "No heartbeat");
            } else if (connection.participant() == null && now - connection.openedAtMillis() > joinTimeout) {
                connection.close(CloseCodes.JOIN_TIMEOUT, "No join message in time");
            } else if (now - connection.lastSeenMillis() >= heartbeatInterval) {
                connection.ping();
            }
        }
    }

    // ---------- messages ----------

    void join(Connection connection, ClientMessages.Join message) {
        if (connection.participant() != null) {
            throw ApiException.badRequest("already_joined", "This socket has already joined");
        }
        String code = connection.meetingCode();
        // Everything is checked under the room's lock: an end, a lock or a removal that runs meanwhile is either
        // seen here, or finds this participant in the room and deals with it there.
        rooms.inRoom(code, room -> {
            Meeting meeting = meetings.lookup(code)
                    .orElseThrow(() -> new Disconnect(CloseCodes.UNKNOWN_MEETING, "No meeting has this code"));
            if (!meeting.isOpen()) {
                throw new Disconnect(CloseCodes.MEETING_ENDED, "This meeting has ended");
            }
            VerifiedToken token = Optional.ofNullable(message.token()).flatMap(tokens::verify)
                    .filter(t -> t.kind() == TokenKind.PARTICIPANT && code.equals(t.meetingCode()))
                    .orElseThrow(SignalingService::invalidToken);
            Participation participation = meetings.participation(token.participantId())
                    .filter(p -> code.equals(p.meetingCode()))
                    .orElseThrow(SignalingService::invalidToken);
            Participant who = new Participant(participation.id(), participation.displayName(), participation.isHost(),
                    participation.userId());
            Optional<Seat> previous = room.seat(who.id());
            if (meeting.locked() && !who.host() && previous.isEmpty()) {
                throw new Disconnect(CloseCodes.LOCKED, "The host has locked this meeting");
            }
            // a chat message is either in this history or delivered live (chat also holds the lock), never neither
            List<ChatMessage> history = chat.history(code, who.id());
            List<Seat> others = room.seats().stream().filter(s -> !s.id().equals(who.id())).toList();
            Seat seat = previous.map(p -> new Seat(who, connection, p.state(), p.order()))
                    .orElseGet(() -> new Seat(who, connection, MediaState.INITIAL, room.nextOrder()));
            room.put(seat);
            connection.admit(who);
            // resumed: the others kept this participant all along (and their media connections with it);
            // departed: they were told it left, and closed their connections with it
            boolean departed = room.forgetDeparture(who.id());
            connection.send(Outgoing.welcome(who, meeting, others, history, iceServers.forParticipant(who.id()),
                    previous.isPresent(), departed));
            if (previous.isPresent()) {
                // same participant, newer socket: the others see no change
                Connection older = previous.get().connection();
                older.retire();
                older.close(CloseCodes.REPLACED, "Joined again from another socket");
            } else {
                broadcast(room, who.id(), Outgoing.participantJoined(seat));
            }
            return seat;
        });
    }

    void signal(Connection connection, ClientMessages.Signal message) {
        Participant who = connection.participant();
        Seat target = otherSeat(connection, who, message.to());
        target.connection().send(Outgoing.signal(who.id(), message.data()));
    }

    void chat(Connection connection, ClientMessages.Chat message) {
        Participant who = connection.participant();
        String to = message.to();
        if (to != null && to.equals(who.id())) {
            throw ApiException.badRequest("invalid_target", "A private message needs another participant");
        }
        rooms.inRoom(connection.meetingCode(), room -> {
            Optional<Seat> recipient = Optional.ofNullable(to).map(id -> room.seat(id).orElseThrow(SignalingService::unknownParticipant));
            ChatService.Posted posted = chat.post(connection.meetingCode(), who.id(), who.name(), to, message.text(),
                    message.clientId(), room.nextChatTime(clock.millis()));
            ChatMessage saved = posted.message();
            String json = Outgoing.chat(saved);
            if (posted.repeat()) {
                connection.send(json); // a re-send after a reconnect: the sender learns it arrived, nobody sees it twice
            } else if (recipient.isPresent()) {
                connection.send(json);
                recipient.get().connection().send(json);
            } else {
                broadcast(room, null, json);
            }
            return saved;
        });
    }

    void media(Connection connection, ClientMessages.Media message) {
        updateState(connection, state -> state.withMedia(message.audio(), message.video(), message.screen()),
                (id, state) -> Outgoing.media(id, state));
    }

    void hand(Connection connection, ClientMessages.Hand message) {
        updateState(connection, state -> state.withHand(message.raised()), (id, state) -> Outgoing.hand(id, state.hand()));
    }

    void leave(Connection connection, ClientMessages.Leave message) {
        depart(connection);
        connection.close(CloseCodes.NORMAL, "Left the meeting");
    }

    void host(Connection connection, ClientMessages.Host message) {
        Participant who = connection.participant();
        if (!who.host()) {
            throw new ApiException(403, "not_host", "Only the host can " + message.action());
        }
        String code = connection.meetingCode();
        switch (message.action()) {
            case "mute" -> otherSeat(connection, who, message.target()).connection().send(Outgoing.muteRequest(who.id()));
            case "remove" -> {
                Seat target = otherSeat(connection, who, message.target());
                rooms.inRoom(code, room -> room.remove(target.id()).map(seat -> {
                    tokens.revokeParticipant(seat.id()); // under the lock: a concurrent re-join sees it revoked
                    seat.connection().retire();
                    seat.connection().close(CloseCodes.REMOVED, "Removed by the host");
                    broadcast(room, null, Outgoing.participantLeft(seat.id()));
                    return seat;
                }));
            }
            case "lock", "unlock" -> {
                boolean locked = message.action().equals("lock");
                meetings.setLocked(code, locked);
                rooms.inRoom(code, room -> {
                    broadcast(room, null, Outgoing.locked(locked, who.id()));
                    return locked;
                });
            }
            case "end" -> meetings.end(code, who.userId()); // fires MeetingEnded, handled below
            default -> throw new IllegalStateException("ClientMessages.Host admitted " + message.action());
        }
    }

    /** However a meeting ends (host's socket or REST), everyone in it is told and disconnected. */
    void onMeetingEnded(@Observes MeetingEnded event) {
        rooms.inRoom(event.code(), room -> {
            for (Seat seat : room.seats()) {
                room.remove(seat.id());
                seat.connection().retire();
                seat.connection().send(Outgoing.meetingEnded());
                seat.connection().close(CloseCodes.MEETING_ENDED, "The meeting has ended");
            }
            return null;
        });
    }

    // ---------- helpers ----------

    /** Close codes the server sends for a client's fault: no grace period after these. */
    private static final Set<Integer> CLIENT_FAULTS = Set.of(CloseCodes.UNSUPPORTED_DATA, CloseCodes.TOO_BIG,
            CloseCodes.RATE_LIMITED);

    /** Keeps the participant's seat for the grace period; it leaves then unless it has re-joined meanwhile. */
    private void holdSeat(Connection connection) {
        if (connection.participant() == null) {
            return;
        }
        long graceMillis = settings.reconnectGrace().toMillis();
        if (graceMillis <= 0) {
            depart(connection);
            return;
        }
        scheduler.schedule(() -> {
            try {
                depart(connection); // a no-op if a newer socket holds the seat, or the seat is gone
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "Could not end a participant's grace period", e);
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
        rooms.inRoom(connection.meetingCode(), room -> {
            Optional<Seat> seat = room.seat(who.id()).filter(s -> s.connection() == connection);
            seat.ifPresent(s -> {
                room.remove(s.id());
                room.markDeparted(s.id());
                broadcast(room, null, Outgoing.participantLeft(s.id()));
            });
            return seat;
        });
    }

    private void updateState(Connection connection, UnaryOperator<MediaState> change,
                             BiFunction<String, MediaState, String> render) {
        Participant who = connection.participant();
        rooms.inRoom(connection.meetingCode(), room -> {
            Seat seat = room.seat(who.id()).filter(s -> s.connection() == connection)
                    .orElseThrow(() -> ApiException.badRequest("not_joined", "This socket no longer speaks for a participant"));
            Seat updated = seat.withState(change.apply(seat.state()));
            room.put(updated);
            broadcast(room, who.id(), render.apply(who.id(), updated.state()));
            return updated;
        });
    }

    private Seat otherSeat(Connection connection, Participant who, String id) {
        if (id.equals(who.id())) {
            throw ApiException.badRequest("invalid_target", "The target must be another participant");
        }
        return rooms.seat(connection.meetingCode(), id).orElseThrow(SignalingService::unknownParticipant);
    }

    private static void broadcast(Room room, String exceptId, String json) {
        for (Seat seat : room.seats()) {
            if (!seat.id().equals(exceptId)) {
                seat.connection().send(json);
            }
        }
    }

    private static Disconnect invalidToken() {
        return new Disconnect(CloseCodes.INVALID_TOKEN, "Invalid, expired or revoked token, or one for another meeting");
    }

    private static ApiException unknownParticipant() {
        return ApiException.badRequest("unknown_participant", "No participant with this id is in this meeting");
    }

    /** Logs a handler's unexpected failure with an incident id the client also sees. */
    static String incident(Throwable failure) {
        String id = java.util.UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Signalling incident " + id, failure);
        return id;
    }
}
