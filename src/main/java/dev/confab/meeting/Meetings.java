package dev.confab.meeting;

import dev.confab.auth.AccountRules;
import dev.confab.auth.SignInMethods;
import dev.confab.auth.User;
import dev.confab.common.ApiException;
import dev.confab.common.Unicode;
import dev.confab.store.Store;
import dev.confab.token.IssuedToken;
import dev.confab.token.TokenCodec;
import dev.confab.token.Tokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Creating, joining and ending meetings, and a user's meeting history. */
@ApplicationScoped
public class Meetings {

    static final int TITLE_MAX = 120;

    private final MeetingRepository repository;
    private final Tokens tokens;
    private final Store store;
    private final Clock clock;
    private final Event<MeetingEnded> ended;
    private final SignInMethods signIn;
    private final MeetingCodes codes = new MeetingCodes(new SecureRandom());
    private final TokenCodec guestKeys = new TokenCodec(new SecureRandom());

    protected Meetings() {
        this(null, null, null, null, null, null);
    }

    @Inject
    public Meetings(MeetingRepository repository, Tokens tokens, Store store, Clock clock, Event<MeetingEnded> ended,
                    SignInMethods signIn) {
        this.repository = repository;
        this.tokens = tokens;
        this.store = store;
        this.clock = clock;
        this.ended = ended;
        this.signIn = signIn;
    }

    /**
     * A new meeting hosted by {@code host}: {@code access} is {@link Meeting#ANYONE}, {@link Meeting#SIGNED_IN} or
     * {@link Meeting#ORGANISATION} (only where company sign-in is set up). Refused (403) for someone
     * {@code confab.oidc.creator-group} leaves out.
     */
    public Meeting create(User host, Optional<String> rawTitle, boolean lobby, String access) {
        if (!signIn.mayCreateMeetings(host)) {
            throw new ApiException(403, "not_allowed_to_create",
                    "Your organisation lets only some people create meetings, and you are not among them");
        }
        if (!List.of(Meeting.ANYONE, Meeting.SIGNED_IN, Meeting.ORGANISATION).contains(access)) {
            throw ApiException.badRequest("invalid_access", "access must be anyone, signed-in or organisation");
        }
        if (Meeting.ORGANISATION.equals(access) && !signIn.company()) {
            throw ApiException.badRequest("invalid_access",
                    "access organisation needs company sign-in, which this server does not have");
        }
        String title = rawTitle.map(Meetings::title).orElse(null);
        long now = clock.millis();
        Meeting meeting = new Meeting(codes.next(), title, host.id(), host.displayName(), now, Meeting.OPEN, 0, false,
                lobby, Meeting.ANYONE.equals(access) ? null : access);
        repository.insert(meeting);
        repository.insert(new Participation(UUID.randomUUID().toString(), meeting.code(), host.id(),
                host.displayName(), Participation.HOST, now, null, now, null));
        return meeting;
    }

    /** The meeting with this code; unknown (or malformed) codes are 404. */
    public Meeting find(String code) {
        return lookup(code).orElseThrow(() -> ApiException.notFound("meeting_not_found", "No meeting has this code"));
    }

    /** The meeting with this code, if any; a malformed code is looked up nowhere. */
    public Optional<Meeting> lookup(String code) {
        return Optional.ofNullable(code).filter(MeetingCodes::wellFormed).flatMap(repository::find);
    }

    public Optional<Participation> participation(String participantId) {
        return repository.findParticipation(participantId);
    }

    /** Locks or unlocks an open meeting (the caller has checked that the host asks), durably. */
    public void setLocked(String code, boolean locked) {
        Meeting meeting = find(code);
        if (meeting.isOpen() && meeting.locked() != locked) {
            repository.update(meeting.withLocked(locked));
            store.commit();
        }
    }

    /** Turns an open meeting's lobby on or off (the caller has checked that a host or co-host asks), durably. */
    public void setLobby(String code, boolean on) {
        Meeting meeting = find(code);
        if (meeting.isOpen() && meeting.lobbyOn() != on) {
            repository.update(meeting.withLobby(on));
            store.commit();
        }
    }

    /** Makes a participant a co-host or takes that back ({@link Participation#COHOST} or PARTICIPANT), durably. */
    public Participation setRole(Participation participation, String role) {
        Participation changed = participation.withRole(role);
        repository.update(changed);
        store.commit();
        return changed;
    }

    /** Records that a participant was let past the lobby, durably: its reconnects and re-joins walk in. */
    public Participation admit(Participation participation) {
        if (participation.mayPassLobby()) {
            return participation;
        }
        Participation admitted = participation.admitted(clock.millis());
        repository.update(admitted);
        store.commit();
        return admitted;
    }

    /**
     * Lets someone into an open meeting. A signed-in user keeps one participant id per meeting (and is host in
     * their own); a guest is a new participant each time, and presents the per-meeting key its browser was given
     * at its first join ({@code guestKey}; a new one is made when it has none). Someone the host removed is
     * refused (403 {@code removed}) until the host lifts the ban. A guest may not join a meeting for signed-in
     * people (401 {@code sign_in_required}); in one for the organisation, whoever is not one of its people waits in
     * the lobby. {@code providerSession}: the company provider's session the user signed in within, or null.
     */
    public Joined join(String code, Optional<String> rawName, Optional<User> user, Optional<String> guestKey,
                       String providerSession) {
        Meeting meeting = find(code);
        if (!meeting.isOpen()) {
            throw ApiException.gone("meeting_ended", "This meeting has ended");
        }
        if (user.isEmpty() && meeting.signedInOnly()) {
            throw new ApiException(401, "sign_in_required", "This meeting is for signed-in people: sign in to join");
        }
        boolean isHost = user.map(u -> meeting.hostUserId().equals(u.id())).orElse(false);
        boolean outsider = meeting.organisationOnly() && !isHost
                && !user.map(signIn::isOrganisationMember).orElse(false);
        long now = clock.millis();
        Participation participation;
        String newGuestKey = null;
        if (user.isPresent()) {
            String name = rawName.map(n -> AccountRules.displayName(n, "displayName")).orElse(user.get().displayName());
            requireAdmitted(meeting, Ban.userBanId(code, user.get().id()), isHost);
            Optional<Participation> earlier = repository.participationOf(code, user.get().id());
            if (earlier.isPresent()) {
                participation = earlier.get().rejoined(name, now, outsider);
                repository.update(participation);
            } else {
                String role = isHost ? Participation.HOST : Participation.PARTICIPANT;
                participation = new Participation(UUID.randomUUID().toString(), code, user.get().id(), name, role,
                        now, null, isHost ? now : admittedOnJoin(meeting, outsider, now), outsider ? true : null);
                repository.insert(participation);
            }
        } else {
            String name = AccountRules.displayName(rawName.orElseThrow(
                    () -> ApiException.badRequest("missing_field", "displayName is required")), "displayName");
            String key = guestKey.filter(TokenCodec::wellFormed).orElse(null);
            if (key == null) {
                key = newGuestKey = guestKeys.newToken();
            }
            String keyHash = TokenCodec.hash(key);
            requireAdmitted(meeting, Ban.guestBanId(code, keyHash), false);
            participation = new Participation(UUID.randomUUID().toString(), code, null, name,
                    Participation.PARTICIPANT, now, keyHash, admittedOnJoin(meeting, outsider, now),
                    outsider ? true : null);
            repository.insert(participation);
        }
        IssuedToken token = tokens.issueParticipant(code, participation.id(), participation.userId(),
                providerSession);
        return new Joined(meeting, participation, token, Optional.ofNullable(newGuestKey));
    }

    /**
     * A newcomer is admitted at once without a lobby; with one, or as an outsider of a meeting for the organisation,
     * it waits (0) until a host or co-host admits it.
     */
    private static long admittedOnJoin(Meeting meeting, boolean outsider, long now) {
        return meeting.lobbyOn() || outsider ? 0 : now;
    }

    /** Refuses someone the host removed (403 {@code removed}), then anyone but the host of a locked meeting (423). */
    private void requireAdmitted(Meeting meeting, String banId, boolean isHost) {
        if (repository.findBan(banId).isPresent()) {
            throw new ApiException(403, "removed", "The host removed you from this meeting");
        }
        if (meeting.locked() && !isHost) {
            throw new ApiException(423, "meeting_locked", "The host has locked this meeting");
        }
    }

    /** Whether the host removed this participant (its account, or its guest key) and has not lifted the ban. */
    public boolean isBanned(Participation participation) {
        return banIdOf(participation).flatMap(repository::findBan).isPresent();
    }

    /**
     * Bans a removed participant from its meeting and kills its participant tokens, durably: once this returns,
     * a crash cannot let it back in. (A guest from before guest keys can be named by nothing: only its tokens die.)
     */
    public void ban(Participation participation) {
        banIdOf(participation).ifPresent(id -> repository.insert(new Ban(id, participation.meetingCode(),
                participation.id(), participation.displayName(), participation.isGuest(), clock.millis())));
        tokens.revokeParticipant(participation.id()); // commits the store, the ban included
    }

    /** Lifts the ban on a removed participant; false if there was none. */
    public boolean liftBan(String code, String participantId) {
        Optional<Ban> ban = repository.bansOf(code).stream().filter(b -> b.participantId().equals(participantId))
                .findFirst();
        ban.ifPresent(b -> {
            repository.deleteBan(b.id());
            store.commit();
        });
        return ban.isPresent();
    }

    /** The meeting's bans, oldest first: what the host's list shows. */
    public List<Ban> bans(String code) {
        return repository.bansOf(code);
    }

    private static Optional<String> banIdOf(Participation p) {
        if (p.userId() != null) {
            return Optional.of(Ban.userBanId(p.meetingCode(), p.userId()));
        }
        return Optional.ofNullable(p.guestKeyHash()).map(hash -> Ban.guestBanId(p.meetingCode(), hash));
    }

    /** Ends the meeting (host only) and kills its participant tokens at once. Ending twice is harmless. */
    public void end(String code, String userId) {
        Meeting meeting = find(code);
        if (!meeting.hostUserId().equals(userId)) {
            throw ApiException.forbidden("Only the host can end this meeting");
        }
        if (meeting.isOpen()) {
            repository.update(meeting.end(clock.millis()));
        }
        tokens.revokeMeeting(code);
        ended.fire(new MeetingEnded(code));
    }

    public List<HistoryEntry> history(String userId, Optional<Instant> before, int limit) {
        long beforeMillis = before.map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
        List<HistoryEntry> entries = new ArrayList<>();
        for (Participation p : repository.historyOf(userId, beforeMillis, limit)) {
            repository.find(p.meetingCode()).ifPresent(m -> entries.add(new HistoryEntry(m.code(), m.title(),
                    p.role(), Instant.ofEpochMilli(p.joinedAt()), m.status())));
        }
        return entries;
    }

    private static String title(String raw) {
        String title = raw.strip();
        if (title.isEmpty()) {
            return null;
        }
        if (title.codePointCount(0, title.length()) > TITLE_MAX || Unicode.firstDeceptiveIndex(title) >= 0) {
            throw ApiException.badRequest("invalid_title", "title must be at most " + TITLE_MAX
                    + " characters without control, direction-changing or invisible characters");
        }
        return title;
    }

    /** The outcome of a join: who, where, the participant token, and a guest's new key (its first join only). */
    public record Joined(Meeting meeting, Participation participation, IssuedToken token, Optional<String> newGuestKey) {
    }
}
