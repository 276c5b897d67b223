package dev.confab.meeting;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.nosql.Template;

import java.util.List;
import java.util.Optional;

/** Stores {@link Meeting}s and {@link Participation}s through JNoSQL. */
@ApplicationScoped
public class MeetingRepository {

    private final Template template;

    protected MeetingRepository() {
        this(null);
    }

    @Inject
    public MeetingRepository(Template template) {
        this.template = template;
    }

    public void insert(Meeting meeting) {
        template.insert(meeting);
    }

    public void update(Meeting meeting) {
        template.update(meeting);
    }

    public Optional<Meeting> find(String code) {
        return template.find(Meeting.class, code);
    }

    public void insert(Participation participation) {
        template.insert(participation);
    }

    public void update(Participation participation) {
        template.update(participation);
    }

    public Optional<Participation> findParticipation(String participantId) {
        return template.find(Participation.class, participantId);
    }

    public Optional<Participation> participationOf(String meetingCode, String userId) {
        return template.select(Participation.class)
                .where("meetingCode").eq(meetingCode).and("userId").eq(userId)
                .singleResult();
    }

    public void insert(Ban ban) {
        template.insert(ban);
    }

    public Optional<Ban> findBan(String id) {
        return template.find(Ban.class, id);
    }

    public List<Ban> bansOf(String meetingCode) {
        return template.select(Ban.class).where("meetingCode").eq(meetingCode).orderBy("at").asc().result();
    }

    public void deleteBan(String id) {
        template.delete(Ban.class, id);
    }

    /** A user's participations, newest first, joined strictly before {@code beforeMillis}. */
    public List<Participation> historyOf(String userId, long beforeMillis, int limit) {
        return template.select(Participation.class)
                .where("userId").eq(userId).and("joinedAt").lt(beforeMillis)
                .orderBy("joinedAt").desc()
                .limit(limit)
                .result();
    }
}
