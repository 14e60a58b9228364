package dev.cnnworkbench.web.auth;

import dev.cnnworkbench.storage.SessionStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The browser sessions of a team-mode server, kept in the store ({@link SessionStore}: only a hash of each id), so
 * a restart logs no one out, and a password change, {@code user revoke} or a removed account ends that user's
 * sessions at the next request. A session id is 32 random bytes; its CSRF token is derived from it (a SHA-256 the
 * stored hash does not reveal). A session ends {@link #IDLE} after its last request, {@link #LIFETIME} after its login
 * at the latest, or when its user logs out. At most {@link #MAX_SESSIONS} live at once (those ending first go).
 * Every method but {@link #csrfToken} reads or writes the store: call them from a worker thread. Thread-safe.
 */
public final class Sessions {

    public static final Duration IDLE = Duration.ofHours(12);
    public static final Duration LIFETIME = Duration.ofDays(7);
    public static final int MAX_SESSIONS = 10_000;
    /** A session's end is written again only when it moves by at least this much (not on every request). */
    public static final Duration EXTEND_STEP = Duration.ofMinutes(1);
    private static final int SECRET_BYTES = 32;

    /**
     * One logged-in browser.
     *
     * @param id        the cookie's value (never stored)
     * @param admin     whether its account is an admin, as read with the session
     * @param csrfToken what a state-changing request of this session must send in {@link AccessControl#CSRF_HEADER}
     */
    public record Session(String id, String user, boolean admin, String csrfToken) {
    }

    private final SessionStore store;
    private final SecureRandom random = new SecureRandom();
    private final LongSupplier clock;

    public Sessions(SessionStore store) {
        this(store, System::currentTimeMillis);
    }

    /** @param clock epoch milliseconds, for tests */
    public Sessions(SessionStore store, LongSupplier clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new session for a user who just logged in. */
    public Session create(String user, boolean admin) {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = now();
        store.add(id, user, now, now.plus(IDLE), MAX_SESSIONS);
        return new Session(id, user, admin, csrfToken(id));
    }

    /** The live session with this id, its idle time restarted; empty when unknown, ended or expired. */
    public Optional<Session> find(String id) {
        Instant now = now();
        Optional<SessionStore.StoredSession> stored = id == null ? Optional.empty() : store.find(id, now);
        stored.ifPresent(s -> {
            Instant end = min(now.plus(IDLE), s.createdAt().plus(LIFETIME));
            if (Duration.between(s.expiresAt(), end).compareTo(EXTEND_STEP) >= 0) {
                store.extend(id, end);
            }
        });
        return stored.map(s -> new Session(id, s.user(), s.admin(), csrfToken(id)));
    }

    /** Ends one session (logging out, or a new login from the same browser). */
    public void remove(String id) {
        if (id != null) {
            store.remove(id);
        }
    }

    /** The CSRF token of a session: derived from its id, so it needs no storing and reveals nothing of the id. */
    public static String csrfToken(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("workbench-csrf:" + id).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.getAsLong());
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
