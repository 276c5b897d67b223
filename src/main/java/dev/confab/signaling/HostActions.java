package dev.confab.signaling;

import dev.confab.common.ApiException;
import dev.confab.meeting.Ban;
import dev.confab.meeting.Meeting;
import dev.confab.meeting.Meetings;
import dev.confab.meeting.Participation;
import dev.confab.token.Tokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the host and co-hosts do ({@code host} messages, docs/protocol.md#host-actions): mute, remove and unban,
 * lock, the lobby (on, off, admit, deny), co-hosts, end; and the hand-over when the lobby has nobody left to run it.
 * Everything that touches the store runs in the meeting's lane, so it is ordered with joins and chat.
 */
@ApplicationScoped
public class HostActions {

    private static final Logger LOG = Logger.getLogger(HostActions.class.getName());

    private final RoomRegistry rooms;
    private final Sockets sockets;
    private final MeetingLanes lanes;
    private final Meetings meetings;
    private final Tokens tokens;
    private final MediaModes mediaModes;

    protected HostActions() {
        this(null, null, null, null, null, null);
    }

    @Inject
    public HostActions(RoomRegistry rooms, Sockets sockets, MeetingLanes lanes, Meetings meetings, Tokens tokens,
                       MediaModes mediaModes) {
        this.rooms = rooms;
        this.sockets = sockets;
        this.lanes = lanes;
        this.meetings = meetings;
        this.tokens = tokens;
        this.mediaModes = mediaModes;
    }

    void host(Connection connection, ClientMessages.Host message) {
        Participant who = connection.participant();
        if (!who.moderator()) {
            throw new ApiException(403, "not_host", "Only the host or a co-host can " + message.action());
        }
        if (ClientMessages.Host.HOST_ONLY.contains(message.action()) && !who.host()) {
            throw new ApiException(403, "not_host", "Only the host can " + message.action());
        }
        String code = connection.meetingCode();
        String target = message.target();
        switch (message.action()) {
            case "mute" -> {
                sockets.send(SignalingService.otherSeat(rooms, connection, who, target).socket(), Outgoing.muteRequest(who.id()));
                mediaModes.muted(code, target, true);
            }
            case "remove" -> {
                Seat seat = SignalingService.otherSeat(rooms, connection, who, target); // refused at once if nobody such is here
                if (!who.host() && seat.participant().moderator()) {
                    throw ApiException.badRequest("invalid_target", "A co-host cannot remove the host or another co-host");
                }
                inLane(connection, () -> remove(code, target));
            }
            case "unban" -> inLane(connection, () -> {
                if (!meetings.liftBan(code, target)) {
                    throw ApiException.badRequest("unknown_participant", "Nobody with this id is banned from this meeting");
                }
                tellModeratorsTheBans(code);
            });
            case "lock", "unlock" -> inLane(connection, () -> {
                boolean locked = message.action().equals("lock");
                meetings.setLocked(code, locked);
                rooms.inRoom(code, room -> {
                    sockets.broadcast(room, null, Outgoing.locked(locked, who.id()));
                    return locked;
                });
            });
            case "lobby-on", "lobby-off" -> inLane(connection, () -> {
                boolean on = message.action().equals("lobby-on");
                meetings.setLobby(code, on);
                rooms.inRoom(code, room -> {
                    sockets.broadcast(room, null, Outgoing.lobby(on, who.id()));
                    return on;
                });
                if (!on) {
                    admitAll(code); // no lobby any more: nobody is left waiting for one
                }
            });
            case "admit" -> inLane(connection, () -> admit(code, target));
            case "admit-all" -> inLane(connection, () -> admitAll(code));
            case "deny" -> inLane(connection, () -> deny(code, target));
            case "cohost", "uncohost" -> {
                SignalingService.otherSeat(rooms, connection, who, target);
                boolean on = message.action().equals("cohost");
                inLane(connection, () -> setCohost(code, target, on));
            }
            // fires MeetingEnded: SignalingService.onMeetingEnded tells everyone (queued in this lane after this task)
            case "end" -> inLane(connection, () -> meetings.end(code, who.userId()));
            default -> throw new IllegalStateException("ClientMessages.Host admitted " + message.action());
        }
    }

    /**
     * Lets one person in from the lobby: stored first (its reconnects walk in), then the node holding its socket
     * seats it like any join.
     */
    private void admit(String code, String targetId) {
        Waiter waiter = rooms.inRoom(code, room -> room.waiter(targetId)).orElseThrow(HostActions::notWaiting);
        Participation participation = meetings.participation(targetId).orElseThrow(HostActions::notWaiting);
        meetings.admit(participation);
        sockets.letIn(waiter.socket());
    }

    private void admitAll(String code) {
        for (Waiter waiter : rooms.inRoom(code, Room::waiting)) {
            try {
                admit(code, waiter.id());
            } catch (ApiException gone) {
                LOG.fine(() -> "Left the lobby before being let in: " + waiter.id());
            }
        }
    }

    /** Turns someone in the lobby away: its participant token dies first (it cannot knock again with it). */
    private void deny(String code, String targetId) {
        rooms.inRoom(code, room -> room.waiter(targetId)).orElseThrow(HostActions::notWaiting);
        tokens.revokeParticipant(targetId);
        rooms.inRoom(code, room -> room.removeWaiter(targetId).map(waiter -> {
            sockets.close(waiter.socket(), CloseCodes.DENIED, "The host did not let you in");
            sockets.tellModeratorsWhoWaits(room);
            return waiter;
        }));
    }

    /** Makes a participant a co-host or takes it back, durably; everyone sees the new role. */
    private void setCohost(String code, String targetId, boolean on) {
        Seat target = rooms.seat(code, targetId).orElseThrow(SignalingService::unknownParticipant);
        if (target.participant().host()) {
            throw ApiException.badRequest("invalid_target", "The host is more than a co-host already");
        }
        Participation participation = meetings.participation(targetId).orElseThrow(SignalingService::unknownParticipant);
        meetings.setRole(participation, on ? Participation.COHOST : Participation.PARTICIPANT);
        List<Ban> bans = on ? meetings.bans(code) : List.of();
        rooms.inRoom(code, room -> room.seat(targetId).map(seat -> {
            Participant changed = seat.participant().withCohost(on);
            room.put(new Seat(changed, seat.socket(), seat.state(), seat.order()));
            sockets.updateParticipant(seat.socket(), changed);
            sockets.broadcast(room, null, Outgoing.role(changed));
            if (on) { // what a moderator's welcome holds
                sockets.send(seat.socket(), Outgoing.bans(bans));
                sockets.send(seat.socket(), Outgoing.knocking(room.waiting())); // to the new co-host alone
            }
            return seat;
        }));
    }

    /**
     * Nobody left who could let the waiting in (the host and co-hosts left): the longest-present signed-in
     * participant (else the longest-present one) becomes co-host. Only while the lobby matters: it is on, or
     * someone waits.
     */
    void onModeratorNeeded(@Observes ModeratorNeeded event) {
        String code = event.meetingCode();
        lanes.submit(code, MeetingLanes.Priority.ESSENTIAL, () -> {
            try {
                handOver(code);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not hand the lobby over in " + code, e);
            }
        });
    }

    private void handOver(String code) {
        Optional<Meeting> meeting = meetings.lookup(code).filter(Meeting::isOpen);
        if (meeting.isEmpty()) {
            return;
        }
        boolean lobbyOn = meeting.get().lobbyOn();
        Optional<Seat> heir = rooms.inRoom(code, room -> {
            List<Seat> seats = room.seats();
            if (seats.stream().anyMatch(s -> s.participant().moderator()) || (!lobbyOn && room.waiting().isEmpty())) {
                return Optional.<Seat>empty();
            }
            return seats.stream().filter(s -> !s.participant().guest()).findFirst().or(() -> seats.stream().findFirst());
        });
        heir.ifPresent(seat -> setCohost(code, seat.id(), true));
    }

    /**
     * Removal means banned: the ban and the revocation of the target's tokens are on disk before anyone is
     * told; then the target is closed with 4403 and everyone else sees it leave.
     */
    private void remove(String code, String targetId) {
        if (rooms.seat(code, targetId).isEmpty()) {
            throw SignalingService.unknownParticipant(); // left while the removal waited its turn
        }
        Participation participation = meetings.participation(targetId).orElseThrow(SignalingService::unknownParticipant);
        meetings.ban(participation);
        rooms.inRoom(code, room -> room.remove(targetId).map(seat -> {
            mediaModes.removed(code, room, seat.id());
            sockets.close(seat.socket(), CloseCodes.REMOVED, "Removed by the host");
            sockets.broadcast(room, null, Outgoing.participantLeft(seat.id()));
            return seat;
        }));
        tellModeratorsTheBans(code);
    }

    private void tellModeratorsTheBans(String code) {
        String json = Outgoing.bans(meetings.bans(code));
        rooms.inRoom(code, room -> {
            sockets.toModerators(room, json);
            return null;
        });
    }

    /** Store work of a host action, in the meeting's lane; refusals reach the host's socket. */
    private void inLane(Connection connection, Runnable work) {
        lanes.submit(connection.meetingCode(), MeetingLanes.Priority.ESSENTIAL, () -> SignalingService.guarded(connection, "host", work));
    }

    private static ApiException notWaiting() {
        return ApiException.badRequest("unknown_participant", "Nobody with this id waits in the lobby");
    }
}
