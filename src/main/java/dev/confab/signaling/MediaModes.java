package dev.confab.signaling;

import dev.confab.sfu.Sfu;
import dev.confab.sfu.SfuEvent;
import dev.confab.sfu.SfuSettings;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Mesh or SFU: the one place that decides where a meeting's media flows, switches it, and relays between the
 * browsers and the {@link Sfu}.
 *
 * <p>A meeting starts on the mesh. The join that takes it past {@code confab.sfu.mesh-max} opens its SFU room
 * first (in the meeting's lane, before the seat is taken); then everyone is told {@code media-mode sfu} and the
 * newcomer's welcome says so. Browsers keep their mesh connections until the SFU's streams play
 * (make-before-break). When the meeting has shrunk back and stayed small for {@code mesh-return-delay}, it returns
 * to the mesh the same way, and the SFU room is destroyed once the browsers have had time to move.
 * An SFU that cannot be reached leaves the meeting on the mesh, and its hosts are told.
 */
@ApplicationScoped
public class MediaModes {

    private static final Logger LOG = Logger.getLogger(MediaModes.class.getName());
    /** How long browsers get to move back to the mesh before the SFU room (and their media through it) goes. */
    private static final long ROOM_LINGER_MILLIS = 15_000;

    private final Sfu sfu;
    private final SfuSettings settings;
    private final RoomRegistry rooms;
    private final Sockets sockets;
    private final MeetingLanes lanes;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    protected MediaModes() {
        this(null, null, null, null, null);
    }

    @Inject
    public MediaModes(Sfu sfu, SfuSettings settings, RoomRegistry rooms, Sockets sockets, MeetingLanes lanes) {
        this.sfu = sfu;
        this.settings = settings;
        this.rooms = rooms;
        this.sockets = sockets;
        this.lanes = lanes;
    }

    /** Whether a meeting of {@code people} belongs on the SFU. */
    boolean belongsOnSfu(int people) {
        return sfu.isConfigured() && people > settings.meshMax();
    }

    /**
     * Before a seat is taken (in the meeting's lane, outside the room lock): opens the SFU room when this join
     * takes the meeting past the mesh's size. True when the SFU room is open (or was already). Someone coming back
     * to the seat they hold (a reconnect) adds nobody.
     */
    boolean prepareJoin(String code, String participantId) {
        int[] present = new int[1];
        MediaMode mode = rooms.inRoom(code, room -> {
            present[0] = room.seats().size() - (room.seat(participantId).isPresent() ? 1 : 0);
            return room.mediaMode();
        });
        if (mode == MediaMode.SFU) {
            return true;
        }
        if (!belongsOnSfu(present[0] + 1)) {
            return false;
        }
        try {
            sfu.openRoom(code).toCompletableFuture().get(settings.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.log(Level.WARNING, "The SFU could not open a room for meeting " + code + ": it stays on the mesh", e);
            return false;
        }
    }

    /**
     * Under the room's lock, once the newcomer's seat is in: moves the meeting to the SFU if it has grown past the
     * mesh and the room is ready (telling everyone else), or warns its hosts that it could not. The mode the
     * newcomer's welcome announces.
     */
    MediaMode seated(Room room, Seat seat, boolean sfuReady) {
        if (room.mediaMode() == MediaMode.MESH && belongsOnSfu(room.seats().size())) {
            if (sfuReady) {
                room.setMediaMode(MediaMode.SFU);
                sockets.broadcast(room, seat.id(), Outgoing.mediaMode(MediaMode.SFU, null));
                LOG.info(() -> "Meeting " + room.seats().size() + " people strong: its media moves to the SFU");
            } else {
                String warning = Outgoing.mediaWarning("sfu_unavailable", "This meeting has outgrown what browsers "
                        + "can carry between themselves, and the media server is unreachable: video may suffer.");
                sockets.toModerators(room, warning);
            }
        }
        return room.mediaMode();
    }

    /** Under the room's lock, once a participant has left it. */
    void departed(String code, Room room, String participantId) {
        if (room.mediaMode() != MediaMode.SFU) {
            return;
        }
        sfu.leave(code, participantId);
        if (room.seats().isEmpty()) {
            sfu.closeRoom(code);
        } else if (!belongsOnSfu(room.seats().size())) {
            scheduler.schedule(() -> lanes.submit(code, MeetingLanes.Priority.ESSENTIAL, () -> returnToMesh(code)),
                    settings.meshReturnDelay().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void returnToMesh(String code) {
        boolean returned = rooms.inRoom(code, room -> {
            if (room.mediaMode() != MediaMode.SFU || room.seats().isEmpty() || belongsOnSfu(room.seats().size())) {
                return false; // grew again meanwhile (or is gone)
            }
            room.setMediaMode(MediaMode.MESH);
            sockets.broadcast(room, null, Outgoing.mediaMode(MediaMode.MESH, null));
            return true;
        });
        if (returned) {
            LOG.info(() -> "Meeting " + code + " is small again: its media returns to the mesh");
            scheduler.schedule(() -> lanes.submit(code, MeetingLanes.Priority.ESSENTIAL, () -> {
                if (rooms.inRoom(code, Room::mediaMode) == MediaMode.MESH) {
                    sfu.closeRoom(code);
                }
            }), ROOM_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** The meeting has ended: its SFU room goes too. */
    void ended(String code) {
        if (sfu.isConfigured()) {
            sfu.closeRoom(code);
        }
    }

    /** The host removed the participant: on the SFU its media stops at once. */
    void removed(String code, Room room, String participantId) {
        if (room.mediaMode() == MediaMode.SFU) {
            sfu.kick(code, participantId);
        }
    }

    /** The host muted the participant, or it unmuted itself ({@code muted} false). */
    void muted(String code, String participantId, boolean muted) {
        if (sfu.isConfigured() && rooms.inRoom(code, Room::mediaMode) == MediaMode.SFU) {
            sfu.muteAudio(code, participantId, muted);
        }
    }

    // ---------- the browsers' SFU messages ----------

    void publish(Connection connection, ClientMessages.SfuPublish message) {
        sfu.publish(onSfu(connection), connection.participant().id(), message.source(), message.session(), message.sdp());
    }

    void unpublish(Connection connection, ClientMessages.SfuUnpublish message) {
        sfu.unpublish(onSfu(connection), connection.participant().id(), message.source());
    }

    void subscribe(Connection connection, ClientMessages.SfuSubscribe message) {
        sfu.subscribe(onSfu(connection), connection.participant().id(), message.session());
    }

    void answer(Connection connection, ClientMessages.SfuAnswer message) {
        sfu.answer(onSfu(connection), connection.participant().id(), message.sdp());
    }

    void candidate(Connection connection, ClientMessages.SfuCandidate message) {
        sfu.candidate(onSfu(connection), connection.participant().id(), message.direction(), message.candidate());
    }

    void layer(Connection connection, ClientMessages.SfuLayer message) {
        sfu.preferLayer(onSfu(connection), connection.participant().id(), message.from(), message.layer());
    }

    /** The connection's meeting code, if the meeting is on the SFU and the connection still holds its seat. */
    private String onSfu(Connection connection) {
        String code = connection.meetingCode();
        boolean ok = rooms.inRoom(code, room -> room.mediaMode() == MediaMode.SFU
                && room.seat(connection.participant().id()).filter(s -> s.socket().equals(connection.ref())).isPresent());
        if (!ok) {
            throw dev.confab.common.ApiException.badRequest("not_on_sfu", "This meeting's media is not on the SFU");
        }
        return code;
    }

    // ---------- what the SFU says ----------

    void onSfuEvent(@Observes SfuEvent event) {
        String code = event.meetingCode();
        if (event instanceof SfuEvent.Published p) {
            toParticipant(code, p.participantId(), Outgoing.sfuPublished(p.source(), p.answerSdp()));
        } else if (event instanceof SfuEvent.SubscriptionOffer o) {
            toParticipant(code, o.participantId(), Outgoing.sfuOffer(o.offerSdp(), o.streams()));
        } else if (event instanceof SfuEvent.Refused r) {
            toParticipant(code, r.participantId(), Outgoing.error("sfu_refused", r.reason(), "sfu-" + r.ref()));
        } else if (event instanceof SfuEvent.RoomRebuilt) {
            rooms.inRoom(code, room -> {
                if (room.mediaMode() == MediaMode.SFU) {
                    sockets.broadcast(room, null, Outgoing.sfuReset());
                }
                return null;
            });
        } else if (event instanceof SfuEvent.RoomLost) {
            rooms.inRoom(code, room -> {
                if (room.mediaMode() == MediaMode.SFU) {
                    room.setMediaMode(MediaMode.MESH);
                    sockets.broadcast(room, null, Outgoing.mediaMode(MediaMode.MESH, "sfu_lost"));
                    String warning = Outgoing.mediaWarning("sfu_unavailable",
                            "The media server is gone: this meeting is back to browser-to-browser media, and video may suffer.");
                    sockets.toModerators(room, warning);
                }
                return null;
            });
        }
    }

    private void toParticipant(String code, String participantId, String json) {
        rooms.seat(code, participantId).ifPresent(seat -> sockets.send(seat.socket(), json));
    }
}
