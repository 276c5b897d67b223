package dev.confab.meeting;

import dev.confab.auth.AccountRules;
import dev.confab.auth.User;
import dev.confab.common.ApiException;
import dev.confab.token.IssuedToken;
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
    private final Clock clock;
    private final Event<MeetingEnded> ended;
    private final MeetingCodes codes = new MeetingCodes(new SecureRandom());

    protected Meetings() {
        this(null, null, null, null);
    }

    @Inject
    public Meetings(MeetingRepository repository, Tokens tokens, Clock clock, Event<MeetingEnded> ended) {
        this.repository = repository;
        this.tokens = tokens;
        this.clock = clock;
        this.ended = ended;
    }

    public Meeting create(User host, Optional<String> rawTitle) {
        String title = rawTitle.map(Meetings::title).orElse(null);
        long now = clock.millis();
        Meeting meeting = new Meeting(codes.next(), title, host.id(), host.displayName(), now, Meeting.OPEN, 0, false);
        repository.insert(meeting);
        repository.insert(new Participation(UUID.randomUUID().toString(), meeting.code(), host.id(),
                host.displayName(), Participation.HOST, now));
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

    /** Locks or unlocks an open meeting (the caller has checked that the host asks). */
    public void setLocked(String code, boolean locked) {
        Meeting meeting = find(code);
        if (meeting.isOpen() && meeting.locked() != locked) {
            repository.update(meeting.withLocked(locked));
        }
    }

    /**
     * Lets someone into an open meeting. A signed-in user keeps one participant id per meeting (and is host in
     * their own); a guest is a new participant each time.
     */
    public Joined join(String code, Optional<String> rawName, Optional<User> user) {
        Meeting meeting = find(code);
        if (!meeting.isOpen()) {
            throw ApiException.gone("meeting_ended", "This meeting has ended");
        }
        boolean isHost = user.map(u -> meeting.hostUserId().equals(u.id())).orElse(false);
        if (meeting.locked() && !isHost) {
            throw new ApiException(423, "meeting_locked", "The host has locked this meeting");
        }
        long now = clock.millis();
        Participation participation;
        if (user.isPresent()) {
            String name = rawName.map(n -> AccountRules.displayName(n, "displayName")).orElse(user.get().displayName());
            Optional<Participation> earlier = repository.participationOf(code, user.get().id());
            if (earlier.isPresent()) {
                participation = earlier.get().rejoined(name, now);
                repository.update(participation);
            } else {
                String role = isHost ? Participation.HOST : Participation.PARTICIPANT;
                participation = new Participation(UUID.randomUUID().toString(), code, user.get().id(), name, role, now);
                repository.insert(participation);
            }
        } else {
            String name = AccountRules.displayName(rawName.orElseThrow(
                    () -> ApiException.badRequest("missing_field", "displayName is required")), "displayName");
            participation = new Participation(UUID.randomUUID().toString(), code, null, name, Participation.PARTICIPANT, now);
            repository.insert(participation);
        }
        IssuedToken token = tokens.issueParticipant(code, participation.id(), participation.userId());
        return new Joined(meeting, participation, token);
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
        if (title.codePointCount(0, title.length()) > TITLE_MAX || title.codePoints().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("invalid_title",
                    "title must be at most " + TITLE_MAX + " characters without control characters");
        }
        return title;
    }

    /** The outcome of a join: who, where, and the participant token. */
    public record Joined(Meeting meeting, Participation participation, IssuedToken token) {
    }
}
