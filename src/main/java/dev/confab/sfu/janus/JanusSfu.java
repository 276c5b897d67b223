package dev.confab.sfu.janus;

import dev.confab.sfu.NodeLocal;
import dev.confab.sfu.Sfu;
import dev.confab.sfu.SfuEvent;
import dev.confab.sfu.SfuRoomRecords;
import dev.confab.sfu.SfuSettings;
import dev.confab.sfu.SfuStream;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.confab.sfu.janus.JanusConnection.JSON;

/**
 * {@link Sfu} on Janus's VideoRoom plugin, driven over Janus's WebSocket API with its {@code api_secret}, rooms
 * created with the plugin's {@code admin_key} and a secret of their own. One connection per Confab node, with the
 * node's own session (room administration, and the keep-alive that tells a hung Janus); one room per meeting on
 * the SFU, with a Janus session of its own that holds, per participant, one publisher handle per source and one
 * (multistream) subscriber handle. Browsers never see any of it: they get SDP and streams keyed by participant id.
 *
 * <p>A meeting's session is its own so that another node can claim it alone: after each change the room is
 * recorded ({@link SfuRoomRecords}, in the grid when clustered), and when this node dies the node that adopts the
 * meeting claims the session (Janus keeps it for {@code reclaim_session_timeout}) and drives the same handles on,
 * while the media they carry never stopped.
 *
 * <p>Each meeting's work runs in its own lane ({@link SerialLanes}), so a meeting's requests and Janus's
 * renegotiations happen one at a time. A keep-alive every 2 s (Janus drops a session after 60 s of silence),
 * answered within 2.5 s, tells a hung Janus within 4.5 s; a closed socket tells a dead one at once. Then the rooms are made anew on the
 * restarted Janus and the browsers told to publish and subscribe again ({@link SfuEvent.RoomRebuilt}).
 */
@ApplicationScoped
@NodeLocal
public class JanusSfu implements Sfu {

    private static final Logger LOG = Logger.getLogger(JanusSfu.class.getName());
    private static final long KEEPALIVE_SECONDS = 2;
    /** A keep-alive unanswered this long means a hung Janus: with the 2 s beat, noticed within 4.5 s. */
    private static final Duration KEEPALIVE_DEADLINE = Duration.ofMillis(2500);
    /** VideoRoom's "room already exists": after a hang (not a restart) Janus still holds the rooms. */
    private static final String ROOM_EXISTS = "VideoRoom error 427";
    private static final long REBUILD_RETRY_MILLIS = 1000;
    private static final long REBUILD_GIVE_UP_MILLIS = 20_000;
    /** Meetings' sessions are kept alive every this many beats (Janus drops a silent session after 60 s). */
    private static final int MEETING_KEEPALIVE_BEATS = 5;

    /** Whose a handle is: a participant's subscriber, or its publisher of {@code source}. */
    private record HandleOwner(String meetingCode, String participantId, Sfu.Source source) {
        boolean subscriber() {
            return source == null;
        }
    }

    private final SfuSettings settings;
    private final Event<SfuEvent> events;
    private final SfuRoomRecords records;
    private final Map<String, JanusRoom> rooms = new ConcurrentHashMap<>();
    private final Map<Long, HandleOwner> handles = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private SerialLanes lanes;
    private volatile JanusSession session;
    private volatile long manager; // the handle for room administration
    private ScheduledFuture<?> keepalive;
    private int beats; // keep-alive ticks, on the scheduler's thread only
    private boolean rebuilding; // guarded by this

    @Resource
    private ManagedExecutorService executor;

    @Resource
    private ManagedScheduledExecutorService scheduler;

    protected JanusSfu() {
        this(null, null, null);
    }

    @Inject
    public JanusSfu(SfuSettings settings, Event<SfuEvent> events, SfuRoomRecords records) {
        this.settings = settings;
        this.events = events;
        this.records = records;
    }

    @PostConstruct
    void start() {
        lanes = new SerialLanes(executor);
        if (isConfigured()) {
            keepalive = scheduler.scheduleWithFixedDelay(this::keepAlive, KEEPALIVE_SECONDS, KEEPALIVE_SECONDS,
                    TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        if (keepalive != null) {
            keepalive.cancel(false);
        }
        JanusSession s = session;
        session = null;
        if (s != null) {
            s.connection().close(); // Janus drops the session and its rooms' handles with it
        }
    }

    @Override
    public boolean isConfigured() {
        return settings.url().isPresent();
    }

    @Override
    public CompletionStage<Void> openRoom(String meetingCode) {
        if (!isConfigured()) {
            return CompletableFuture.failedFuture(new IllegalStateException("No SFU is configured"));
        }
        return lanes.call(meetingCode, () -> {
            if (!rooms.containsKey(meetingCode)) {
                JanusRoom room = new JanusRoom(meetingCode, 1 + random.nextLong(1L << 52),
                        HexFormat.of().formatHex(random.generateSeed(16)));
                make(session(), room);
                LOG.info(() -> "SFU room opened for meeting " + meetingCode);
            }
            return null;
        });
    }

    @Override
    public void closeRoom(String meetingCode) {
        lanes.run(meetingCode, () -> {
            JanusRoom room = rooms.remove(meetingCode);
            records.remove(meetingCode);
            if (room == null) {
                return;
            }
            room.members.values().forEach(m -> detachAll(room.session, m));
            JanusSession s = session;
            if (s != null) {
                try {
                    s.message(manager, JSON.createObjectBuilder().add("request", "destroy").add("room", room.roomId)
                            .add("secret", room.secret), null);
                } catch (JanusException e) {
                    LOG.log(Level.WARNING, "Could not destroy the SFU room of meeting " + meetingCode, e);
                }
            }
            endSession(room.session);
            LOG.info(() -> "SFU room closed for meeting " + meetingCode);
        });
    }

    @Override
    public void publish(String meetingCode, String participantId, Source source, String browserSession,
                        String offerSdp) {
        inRoom(meetingCode, participantId, "publish", room -> {
            JanusSession s = room.session;
            JanusRoom.Member member = room.member(participantId);
            JanusRoom.Publisher publisher = member.publisher(source);
            if (publisher.handle != 0 && !browserSession.equals(publisher.session)) {
                dropPublisher(s, room, member, publisher); // a new connection from the browser (a reload, a restart)
                publisher = member.publisher(source);
            }
            JsonObject offer = jsep("offer", offerSdp);
            JsonObject reply;
            if (publisher.handle == 0) {
                publisher.handle = attach(s, meetingCode, participantId, source);
                publisher.feed = room.nextFeed();
                publisher.session = browserSession;
                reply = s.message(publisher.handle, JSON.createObjectBuilder().add("request", "joinandconfigure")
                        .add("ptype", "publisher").add("room", room.roomId).add("id", publisher.feed)
                        .add("display", participantId + ":" + source.wire()), offer);
            } else {
                reply = s.message(publisher.handle, JSON.createObjectBuilder().add("request", "configure"), offer);
            }
            publisher.audioMid = audioMid(offerSdp);
            // the others subscribe once its media is up (webrtcup): Janus refuses subscriptions to it before
            events.fire(new SfuEvent.Published(meetingCode, participantId, source, sdp(reply)));
        });
    }

    @Override
    public void unpublish(String meetingCode, String participantId, Source source) {
        inRoom(meetingCode, participantId, "unpublish", room -> {
            JanusRoom.Member member = room.members.get(participantId);
            JanusRoom.Publisher publisher = member == null ? null : member.publishers.get(source);
            if (publisher != null) {
                JanusSession s = room.session;
                // the others unsubscribe first (their offers lose its streams), then the handle goes: Janus would
                // otherwise leave dead streams in their connections
                publisher.published = false;
                syncEveryone(s, room);
                dropPublisher(s, room, member, publisher);
            }
        });
    }

    @Override
    public void subscribe(String meetingCode, String participantId, String browserSession) {
        inRoom(meetingCode, participantId, "subscribe", room -> {
            JanusSession s = room.session;
            JanusRoom.Member member = room.member(participantId);
            if (member.subscriber != 0 && !browserSession.equals(member.subscriberSession)) {
                // a new receiving connection (a reloaded page): the old handle's connection is not the browser's
                detach(s, member.subscriber);
                member.subscriber = 0;
                member.subscribedFeeds.clear();
                member.awaitingAnswer = false;
            }
            member.subscriberSession = browserSession;
            member.subscribing = true;
            syncSubscription(s, room, member);
        });
    }

    @Override
    public void answer(String meetingCode, String participantId, String answerSdp) {
        inRoom(meetingCode, participantId, "answer", room -> {
            JanusRoom.Member member = room.members.get(participantId);
            if (member == null || member.subscriber == 0 || !member.awaitingAnswer) {
                throw new JanusException("No offer from the SFU is waiting for an answer");
            }
            JanusSession s = room.session;
            s.message(member.subscriber, JSON.createObjectBuilder().add("request", "start"), jsep("answer", answerSdp));
            member.awaitingAnswer = false;
            syncSubscription(s, room, member); // what changed meanwhile
        });
    }

    @Override
    public void candidate(String meetingCode, String participantId, Direction direction, JsonObject candidate) {
        lanes.run(meetingCode, () -> {
            JanusRoom room = rooms.get(meetingCode);
            JanusRoom.Member member = room == null ? null : room.members.get(participantId);
            JanusSession s = room == null ? null : room.session;
            if (member == null || s == null) {
                return; // late: the room or the participant's handles are gone
            }
            long handle = switch (direction) {
                case PUBLISH -> handleOf(member, Source.CAMERA);
                case SCREEN -> handleOf(member, Source.SCREEN);
                case SUBSCRIBE -> member.subscriber;
            };
            if (handle != 0) {
                try {
                    s.trickle(handle, candidate);
                } catch (JanusException e) {
                    LOG.log(Level.FINE, "A candidate was refused by the SFU", e);
                }
            }
        });
    }

    @Override
    public void preferLayer(String meetingCode, String participantId, String fromId, int layer) {
        // changes nothing Confab records (only what Janus sends): no record written, on a path taken often
        lanes.run(meetingCode, () -> attempt(meetingCode, participantId, "layer", room -> {
            JanusRoom.Member member = room.members.get(participantId);
            JanusRoom.Member from = room.members.get(fromId);
            long feed = from == null ? 0 : from.camera().map(p -> p.feed).orElse(0L);
            String mid = member == null ? null : member.videoMidByFeed.get(feed);
            if (mid == null || member.subscriber == 0) {
                return; // not (yet) received: the next choice will do
            }
            JsonObjectBuilder stream = JSON.createObjectBuilder().add("mid", mid).add("send", layer >= 0);
            if (layer >= 0) {
                stream.add("substream", Math.min(2, layer));
            }
            room.session.message(member.subscriber, JSON.createObjectBuilder().add("request", "configure")
                    .add("streams", JSON.createArrayBuilder().add(stream)), null);
        }));
    }

    @Override
    public void leave(String meetingCode, String participantId) {
        lanes.run(meetingCode, () -> {
            JanusRoom room = rooms.get(meetingCode);
            if (room != null) {
                removeMember(room, participantId);
                keep(room);
            }
        });
    }

    @Override
    public void kick(String meetingCode, String participantId) {
        lanes.run(meetingCode, () -> {
            JanusRoom room = rooms.get(meetingCode);
            JanusRoom.Member member = room == null ? null : room.members.get(participantId);
            JanusSession s = session;
            if (member == null || s == null) {
                return;
            }
            for (JanusRoom.Publisher publisher : member.publishers.values()) {
                if (!publisher.published) {
                    continue;
                }
                try { // at once, whatever the browser does next
                    s.message(manager, JSON.createObjectBuilder().add("request", "kick").add("room", room.roomId)
                            .add("secret", room.secret).add("id", publisher.feed), null);
                } catch (JanusException e) {
                    LOG.log(Level.WARNING, "The SFU refused to kick a removed participant; detaching it", e);
                }
            }
            removeMember(room, participantId);
            keep(room);
        });
    }

    @Override
    public void muteAudio(String meetingCode, String participantId, boolean muted) {
        lanes.run(meetingCode, () -> {
            JanusRoom room = rooms.get(meetingCode);
            JanusRoom.Member member = room == null ? null : room.members.get(participantId);
            JanusSession s = session;
            JanusRoom.Publisher camera = member == null ? null : member.camera().orElse(null);
            if (camera == null || s == null || !camera.published || camera.audioMid == null
                    || (!muted && !camera.moderated)) {
                return; // an unmute lifts only a host's mute
            }
            try {
                s.message(manager, JSON.createObjectBuilder().add("request", "moderate").add("room", room.roomId)
                        .add("secret", room.secret).add("id", camera.feed).add("mid", camera.audioMid)
                        .add("mute", muted), null);
                camera.moderated = muted;
                keep(room);
            } catch (JanusException e) {
                LOG.log(Level.WARNING, "The SFU refused to mute a participant", e);
            }
        });
    }

    // ---------- subscriptions ----------

    /** Brings {@code member}'s subscription to everyone else's published feeds, one renegotiation at a time. */
    private void syncSubscription(JanusSession s, JanusRoom room, JanusRoom.Member member) {
        if (!member.subscribing || member.awaitingAnswer) {
            return; // re-run after the answer
        }
        Set<Long> wanted = new HashSet<>(room.feedsFor(member));
        JsonObject reply;
        if (member.subscriber == 0) {
            if (wanted.isEmpty()) {
                return;
            }
            long handle = attach(s, room.meetingCode, member.participantId, null);
            try {
                reply = s.message(handle, JSON.createObjectBuilder().add("request", "join")
                        .add("ptype", "subscriber").add("room", room.roomId).add("streams", feeds(wanted)), null);
            } catch (JanusException e) {
                detach(s, handle); // a handle that never joined takes no updates: the next sync starts afresh
                throw e;
            }
            member.subscriber = handle;
        } else {
            Set<Long> add = new HashSet<>(wanted);
            add.removeAll(member.subscribedFeeds);
            Set<Long> drop = new HashSet<>(member.subscribedFeeds);
            drop.removeAll(wanted);
            if (add.isEmpty() && drop.isEmpty()) {
                return;
            }
            JsonObjectBuilder update = JSON.createObjectBuilder().add("request", "update");
            if (!add.isEmpty()) {
                update.add("subscribe", feeds(add));
            }
            if (!drop.isEmpty()) {
                update.add("unsubscribe", feeds(drop));
            }
            reply = s.message(member.subscriber, update, null);
        }
        member.subscribedFeeds.clear();
        member.subscribedFeeds.addAll(wanted);
        offered(room, member, reply);
    }

    /** Janus's (new) subscription offer, if the message has one, goes to the participant with its streams. */
    private void offered(JanusRoom room, JanusRoom.Member member, JsonObject message) {
        JsonObject data = JanusConnection.pluginData(message);
        if (data != null && data.get("streams") instanceof JsonArray streams) {
            List<SfuStream> mine = new ArrayList<>();
            member.videoMidByFeed.clear();
            for (JsonValue value : streams) {
                JsonObject stream = value.asJsonObject();
                if (!stream.getBoolean("active", true) || !(stream.get("feed_id") instanceof jakarta.json.JsonNumber)) {
                    continue;
                }
                long feed = JanusConnection.id(stream, "feed_id");
                String type = stream.getString("type", "");
                String mid = stream.getString("mid", "");
                room.ownerOf(feed).ifPresent(owner -> {
                    mine.add(new SfuStream(mid, owner.member().participantId, type, owner.publisher().source));
                    if (type.equals("video") && owner.publisher().source == Source.CAMERA) {
                        member.videoMidByFeed.put(feed, mid);
                    }
                });
            }
            member.streams = List.copyOf(mine);
        }
        if (message.get("jsep") instanceof JsonObject jsep && "offer".equals(jsep.getString("type", ""))) {
            member.awaitingAnswer = true;
            events.fire(new SfuEvent.SubscriptionOffer(room.meetingCode, member.participantId,
                    jsep.getString("sdp"), member.streams));
        }
    }

    private static JsonArrayBuilder feeds(Set<Long> feeds) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        feeds.stream().sorted().forEach(feed -> array.add(JSON.createObjectBuilder().add("feed", feed)));
        return array;
    }

    // ---------- members and handles ----------

    /** Everyone's subscription brought up to date; one member's failure does not stop the others'. */
    private void syncEveryone(JanusSession s, JanusRoom room) {
        for (JanusRoom.Member member : room.members.values()) {
            try {
                syncSubscription(s, room, member);
            } catch (JanusException e) {
                LOG.log(Level.WARNING, "Could not update a subscription on the SFU", e);
                events.fire(new SfuEvent.Refused(room.meetingCode, member.participantId, "subscribe",
                        "The media server refused or did not answer"));
            }
        }
    }

    private void removeMember(JanusRoom room, String participantId) {
        JanusRoom.Member member = room.members.remove(participantId);
        if (member == null) {
            return;
        }
        JanusSession s = room.session;
        List<Long> feeds = member.publishers.values().stream().map(p -> p.feed).toList();
        detachAll(s, member);
        if (s == null) {
            return;
        }
        for (JanusRoom.Member other : room.members.values()) {
            // Janus drops a departed publisher's streams itself
            other.subscribedFeeds.removeAll(feeds);
        }
        syncEveryone(s, room);
    }

    private void dropPublisher(JanusSession s, JanusRoom room, JanusRoom.Member member, JanusRoom.Publisher publisher) {
        detach(s, publisher.handle);
        member.publishers.remove(publisher.source);
        for (JanusRoom.Member other : room.members.values()) {
            other.subscribedFeeds.remove(publisher.feed);
        }
    }

    private void detachAll(JanusSession s, JanusRoom.Member member) {
        member.publishers.values().forEach(p -> detach(s, p.handle));
        detach(s, member.subscriber);
        member.reset();
    }

    private static long handleOf(JanusRoom.Member member, Source source) {
        JanusRoom.Publisher publisher = member.publishers.get(source);
        return publisher == null ? 0 : publisher.handle;
    }

    private void detach(JanusSession s, long handle) {
        if (handle == 0) {
            return;
        }
        handles.remove(handle);
        if (s != null) {
            try {
                s.detach(handle);
            } catch (JanusException e) {
                LOG.log(Level.FINE, "Detaching a handle failed (it may be gone already)", e);
            }
        }
    }

    /** A new handle of the participant's: its publisher of {@code source}, or its subscriber (null). */
    private long attach(JanusSession s, String meetingCode, String participantId, Source source) {
        long handle = s.attach();
        handles.put(handle, new HandleOwner(meetingCode, participantId, source));
        return handle;
    }

    /**
     * Runs a participant's request in the meeting's lane and records the room afterwards (also after a failure:
     * what it did until then); a failure is reported to that participant as {@link SfuEvent.Refused} (and logged),
     * never thrown at the caller.
     */
    private void inRoom(String meetingCode, String participantId, String ref, Consumer<JanusRoom> work) {
        lanes.run(meetingCode, () -> {
            JanusRoom room = attempt(meetingCode, participantId, ref, work);
            if (room != null) {
                keep(room);
            }
        });
    }

    /** In the lane: the request carried out (or refused, as {@link #inRoom} says); the room, or null if none. */
    private JanusRoom attempt(String meetingCode, String participantId, String ref, Consumer<JanusRoom> work) {
        JanusRoom room = rooms.get(meetingCode);
        if (room == null) {
            events.fire(new SfuEvent.Refused(meetingCode, participantId, ref, "This meeting is not on the SFU"));
            return null;
        }
        try {
            work.accept(room);
        } catch (JanusException e) {
            LOG.log(Level.WARNING, "SFU request " + ref + " failed in meeting " + meetingCode, e);
            events.fire(new SfuEvent.Refused(meetingCode, participantId, ref, "The media server refused or did not answer"));
        }
        return room;
    }

    // ---------- the connection ----------

    /** The live session, connecting (and making the administration handle) first if there is none. */
    private synchronized JanusSession session() {
        JanusSession s = session;
        if (s != null && s.connection().isOpen()) {
            return s;
        }
        URI url = URI.create(settings.url().orElseThrow());
        JanusConnection[] holder = new JanusConnection[1];
        holder[0] = JanusConnection.open(url, settings.apiSecret(), settings.requestTimeout(), executor,
                this::onEvent, () -> onConnectionClosed(holder[0]));
        try {
            s = JanusSession.create(holder[0], settings.requestTimeout());
            manager = s.attach();
        } catch (JanusException e) {
            holder[0].close();
            throw e;
        }
        session = s;
        LOG.info(() -> "Connected to the SFU at " + url);
        return s;
    }

    private void keepAlive() {
        JanusSession s = session;
        if (s == null) {
            return;
        }
        try {
            s.keepalive(KEEPALIVE_DEADLINE);
        } catch (JanusException e) {
            LOG.log(Level.WARNING, "The SFU did not answer a keep-alive: reconnecting", e);
            s.connection().close(); // → onConnectionClosed
            return;
        }
        if (++beats % MEETING_KEEPALIVE_BEATS == 0) {
            for (JanusRoom room : rooms.values()) {
                JanusSession meeting = room.session;
                if (meeting != null) {
                    meeting.touch().exceptionally(e -> {
                        LOG.log(Level.FINE, "A meeting's session missed a keep-alive", e);
                        return null;
                    });
                }
            }
        }
    }

    private void onEvent(JsonObject message) {
        String janus = message.getString("janus", "");
        if (janus.equals("timeout")) {
            JanusSession s = session;
            long id = message.getJsonNumber("session_id") == null ? 0 : message.getJsonNumber("session_id").longValue();
            if (s != null && id == s.id()) {
                s.connection().close();
            } else {
                rooms.values().stream().filter(r -> r.session != null && r.session.id() == id).findFirst()
                        .ifPresent(r -> lanes.run(r.meetingCode, () -> remakeLost(r.meetingCode, "its session timed out")));
            }
            return;
        }
        if (!(message.get("sender") instanceof jakarta.json.JsonNumber sender)) {
            return;
        }
        long handle = sender.longValue();
        HandleOwner owner = handles.get(handle);
        if (owner == null) {
            return;
        }
        LOG.fine(() -> "SFU " + janus + " for " + owner);
        if (!owner.subscriber() && janus.equals("webrtcup")) {
            // a publisher's media is up: now the others can subscribe to it
            lanes.run(owner.meetingCode(), () -> {
                JanusRoom room = rooms.get(owner.meetingCode());
                JanusRoom.Member member = room == null ? null : room.members.get(owner.participantId());
                JanusRoom.Publisher publisher = member == null ? null : member.publishers.get(owner.source());
                if (publisher != null && publisher.handle == handle) {
                    publisher.published = true;
                    syncEveryone(room.session, room);
                    keep(room);
                }
            });
        } else if (owner.subscriber() && janus.equals("event") && message.containsKey("jsep")) {
            // Janus renegotiates by itself (a publisher it forwards left): the browser must answer this offer
            lanes.run(owner.meetingCode(), () -> {
                JanusRoom room = rooms.get(owner.meetingCode());
                JanusRoom.Member member = room == null ? null : room.members.get(owner.participantId());
                if (member != null && member.subscriber == handle) {
                    offered(room, member, message);
                    keep(room);
                }
            });
        }
    }

    private void onConnectionClosed(JanusConnection closed) {
        synchronized (this) {
            JanusSession s = session;
            if (s == null || s.connection() != closed) {
                return;
            }
            session = null;
            handles.clear();
            if (rooms.isEmpty() || rebuilding) {
                return;
            }
            rebuilding = true;
        }
        LOG.warning("Lost the SFU: rebuilding the rooms of " + rooms.size() + " meeting(s)");
        scheduler.schedule(() -> rebuild(System.currentTimeMillis()), 0, TimeUnit.MILLISECONDS);
    }

    /** Reconnects and makes every room anew; browsers then publish and subscribe again. Gives up after 20 s. */
    private void rebuild(long since) {
        JanusSession s;
        try {
            s = session();
        } catch (JanusException e) {
            if (System.currentTimeMillis() - since < REBUILD_GIVE_UP_MILLIS) {
                scheduler.schedule(() -> rebuild(since), REBUILD_RETRY_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            LOG.log(Level.SEVERE, "The SFU stayed unreachable: its meetings go back to the mesh", e);
            synchronized (this) {
                rebuilding = false;
            }
            for (String code : List.copyOf(rooms.keySet())) {
                lanes.run(code, () -> {
                    if (rooms.containsKey(code)) {
                        lost(code);
                    }
                });
            }
            return;
        }
        synchronized (this) {
            rebuilding = false;
        }
        for (String code : List.copyOf(rooms.keySet())) {
            lanes.run(code, () -> {
                JanusRoom room = rooms.get(code);
                if (room != null) {
                    // a Janus that only hung may keep the old session for a while: its handles must not linger
                    endClaimable(s, room.session == null ? 0 : room.session.id());
                    remake(s, room);
                }
            });
        }
    }

    /** In the meeting's lane: its room made anew after its handles were lost for {@code why}. */
    private void remakeLost(String code, String why) {
        JanusRoom room = rooms.get(code);
        if (room == null) {
            return;
        }
        LOG.warning(() -> "The SFU room of meeting " + code + " lost its participants' handles (" + why + "): made anew");
        try {
            remake(session(), room);
        } catch (JanusException e) {
            LOG.log(Level.SEVERE, "The SFU is unreachable: meeting " + code + " goes back to the mesh", e);
            lost(code);
        }
    }

    /**
     * In the meeting's lane: the room (re)made on the SFU with a new session and no handles; the browsers are told
     * to publish and subscribe again. When even that fails the meeting goes back to the mesh.
     */
    private void remake(JanusSession node, JanusRoom room) {
        for (JanusRoom.Member member : room.members.values()) { // their handles died with the old session
            member.publishers.values().forEach(p -> handles.remove(p.handle));
            handles.remove(member.subscriber);
            member.reset();
        }
        room.members.clear();
        try {
            make(node, room);
            events.fire(new SfuEvent.RoomRebuilt(room.meetingCode));
        } catch (JanusException e) {
            LOG.log(Level.SEVERE, "Could not rebuild the SFU room of meeting " + room.meetingCode, e);
            lost(room.meetingCode);
        }
    }

    /** The room made on the SFU (or found there) with a new session of its own, then held and recorded. */
    private void make(JanusSession node, JanusRoom room) {
        createRoom(node, room);
        room.session = JanusSession.create(node.connection(), settings.requestTimeout());
        rooms.put(room.meetingCode, room);
        keep(room);
    }

    private void lost(String code) {
        rooms.remove(code);
        records.remove(code);
        events.fire(new SfuEvent.RoomLost(code));
    }

    // ---------- taking a room over from a node that died ----------

    @Override
    public void adopt(String meetingCode) {
        if (!isConfigured()) {
            return;
        }
        lanes.run(meetingCode, () -> {
            Optional<Serializable> kept = records.get(meetingCode);
            if (!(kept.orElse(null) instanceof JanusRoomRecord record)) {
                LOG.warning(() -> "No record of the SFU room of meeting " + meetingCode + " to take over: back to the mesh");
                lost(meetingCode);
                return;
            }
            JanusRoom room = JanusRoom.from(record);
            JanusSession node;
            try {
                node = session();
            } catch (JanusException e) {
                LOG.log(Level.SEVERE, "The SFU is unreachable: meeting " + meetingCode + " goes back to the mesh", e);
                lost(meetingCode);
                return;
            }
            try {
                room.session = JanusSession.claim(node.connection(), settings.requestTimeout(), record.sessionId());
            } catch (JanusException e) {
                // Janus no longer holds it (it restarted, or the reclaim period passed, or reclaiming is off)
                LOG.log(Level.WARNING, "Could not claim the SFU session of meeting " + meetingCode + ": room made anew", e);
                remake(node, room);
                return;
            }
            for (JanusRoom.Member member : room.members.values()) {
                member.publishers.values().forEach(p -> handles.put(p.handle,
                        new HandleOwner(meetingCode, member.participantId, p.source)));
                if (member.subscriber != 0) {
                    handles.put(member.subscriber, new HandleOwner(meetingCode, member.participantId, null));
                }
            }
            rooms.put(meetingCode, room);
            catchUp(node, room);
            keep(room);
            LOG.info(() -> "Took over the SFU room of meeting " + meetingCode + " with its " + room.members.size()
                    + " participant(s): their media goes on");
        });
    }

    /**
     * What Janus said while nobody drove the room is lost (a publisher whose media came up): asks the room who
     * publishes now and brings every subscription up to date.
     */
    private void catchUp(JanusSession node, JanusRoom room) {
        try {
            JsonObject reply = node.message(manager, JSON.createObjectBuilder().add("request", "listparticipants")
                    .add("room", room.roomId).add("secret", room.secret), null);
            JsonObject data = JanusConnection.pluginData(reply);
            Set<Long> publishing = new HashSet<>();
            if (data != null && data.get("participants") instanceof JsonArray participants) {
                for (JsonValue p : participants) {
                    if (p.asJsonObject().getBoolean("publisher", false)) {
                        publishing.add(JanusConnection.id(p.asJsonObject(), "id"));
                    }
                }
            }
            room.members.values().forEach(m -> m.publishers.values().forEach(p -> p.published = publishing.contains(p.feed)));
            syncEveryone(room.session, room);
        } catch (JanusException e) {
            LOG.log(Level.WARNING, "Could not bring the taken-over SFU room of meeting " + room.meetingCode
                    + " up to date", e);
        }
    }

    /** The room recorded for another node to take over (only when there is one to: a cluster). */
    private void keep(JanusRoom room) {
        if (records.kept() && rooms.get(room.meetingCode) == room) {
            records.put(room.meetingCode, room.record());
        }
    }

    /** Ends a meeting's session, and with it any handle left in it. */
    private static void endSession(JanusSession meeting) {
        if (meeting == null) {
            return;
        }
        try {
            meeting.destroy();
        } catch (JanusException e) {
            LOG.log(Level.FINE, "Destroying a meeting's SFU session failed (it may be gone already)", e);
        }
    }

    /** Claims and ends an old session of a meeting that Janus may still hold for reclaiming. */
    private void endClaimable(JanusSession node, long id) {
        if (id == 0) {
            return;
        }
        try {
            endSession(JanusSession.claim(node.connection(), settings.requestTimeout(), id));
        } catch (JanusException e) {
            LOG.log(Level.FINE, "The old SFU session of a meeting is gone already", e);
        }
    }

    private void createRoom(JanusSession s, JanusRoom room) {
        try {
            s.message(manager, JSON.createObjectBuilder().add("request", "create").add("room", room.roomId)
                    .add("admin_key", settings.adminKey()).add("secret", room.secret).add("is_private", true)
                    .add("publishers", 100).add("videocodec", "vp8").add("audiocodec", "opus")
                    .add("description", "Confab " + room.meetingCode), null);
        } catch (JanusException e) {
            if (!String.valueOf(e.getMessage()).startsWith(ROOM_EXISTS)) {
                throw e;
            }
            // Janus only hung and kept the room (same id and secret); its handles died with our old session
            LOG.info(() -> "SFU room of meeting " + room.meetingCode + " survived in Janus: reused");
        }
    }

    // ---------- JSON ----------

    private static JsonObject jsep(String type, String sdp) {
        return JSON.createObjectBuilder().add("type", type).add("sdp", sdp).build();
    }

    private static String sdp(JsonObject reply) {
        if (reply.get("jsep") instanceof JsonObject jsep) {
            return jsep.getString("sdp");
        }
        throw new JanusException("The SFU's reply has no SDP");
    }

    /** The {@code mid} of the first audio section of an SDP (the publisher's microphone), or null. */
    static String audioMid(String sdp) {
        boolean inAudio = false;
        for (String line : sdp.split("\r?\n")) {
            if (line.startsWith("m=")) {
                inAudio = line.startsWith("m=audio");
            } else if (inAudio && line.startsWith("a=mid:")) {
                return line.substring("a=mid:".length()).strip();
            }
        }
        return null;
    }
}
