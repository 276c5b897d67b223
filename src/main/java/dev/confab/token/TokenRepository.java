package dev.confab.token;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.nosql.Template;

import java.util.List;
import java.util.Optional;

/** Stores {@link AccessToken}s through JNoSQL. */
@ApplicationScoped
public class TokenRepository {

    private final Template template;

    protected TokenRepository() {
        this(null);
    }

    @Inject
    public TokenRepository(Template template) {
        this.template = template;
    }

    public void insert(AccessToken token) {
        template.insert(token);
    }

    public void update(AccessToken token) {
        template.update(token);
    }

    public Optional<AccessToken> find(String id) {
        return template.find(AccessToken.class, id);
    }

    public List<AccessToken> ofMeeting(String meetingCode) {
        return template.select(AccessToken.class).where("meetingCode").eq(meetingCode).result();
    }

    public List<AccessToken> ofParticipant(String participantId) {
        return template.select(AccessToken.class).where("participantId").eq(participantId).result();
    }

    public List<AccessToken> ofProviderSession(String providerSession) {
        return template.select(AccessToken.class).where("providerSession").eq(providerSession).result();
    }

    public List<AccessToken> ofUser(String userId) {
        return template.select(AccessToken.class).where("userId").eq(userId).result();
    }

    public List<AccessToken> expiredBefore(long nowMillis) {
        return template.select(AccessToken.class).where("expiresAt").lte(nowMillis).result();
    }

    public List<AccessToken> revoked() {
        return template.select(AccessToken.class).where("revoked").eq(true).result();
    }

    public void delete(String id) {
        template.delete(AccessToken.class, id);
    }
}
