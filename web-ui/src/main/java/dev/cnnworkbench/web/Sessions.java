package dev.cnnworkbench.web;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The browser sessions of a team-mode server, in memory (a restart logs everyone out). A session id and its CSRF
 * token are 32 random bytes each; a session ends {@link #IDLE} after its last request, {@link #LIFETIME} after its
 * login at the latest, or when its user logs out. Its account is looked up again every {@link #RECHECK}, so a user
 * removed or made admin while logged in is seen within that time. At most {@link #MAX_SESSIONS} live at once (the
 * least recently used goes first). Thread-safe.
 */
final class Sessions {

    static final Duration IDLE = Duration.ofHours(12);
    static final Duration LIFETIME = Duration.ofDays(7);
    static final Duration RECHECK = Duration.ofSeconds(60);
    static final int MAX_SESSIONS = 10_000;
    private static final int SECRET_BYTES = 32;

    /** One logged-in browser. Its user and tokens never change; whether it is an admin is refreshed on recheck. */
    static final class Session {

        final String id;
        final String user;
        final String csrfToken;
        final long createdAt;
        volatile boolean admin;
        volatile long lastSeen;
        volatile long checkedAt;

        private Session(String id, String user, boolean admin, String csrfToken, long now) {
            this.id = id;
            this.user = user;
            this.admin = admin;
            this.csrfToken = csrfToken;
            this.createdAt = now;
            this.lastSeen = now;
            this.checkedAt = now;
        }
    }

    private final ConcurrentHashMap<String, Session> byId = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final LongSupplier clock;

    Sessions() {
        this(System::currentTimeMillis);
    }

    /** @param clock epoch milliseconds, for tests */
    Sessions(LongSupplier clock) {
        this.clock = clock;
    }

    /** A new session for a user who just logged in. */
    Session create(String user, boolean admin) {
        if (byId.size() >= MAX_SESSIONS) {
            evict();
        }
        Session s = new Session(secret(), user, admin, secret(), clock.getAsLong());
        byId.put(s.id, s);
        return s;
    }

    /** The live session with this id, its last use now; empty (and forgotten) when unknown or expired. */
    Optional<Session> find(String id) {
        Session s = id == null ? null : byId.get(id);
        if (s == null) {
            return Optional.empty();
        }
        long now = clock.getAsLong();
        if (expired(s, now)) {
            byId.remove(id, s);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    /** Whether the session's account should be looked up again before it is trusted further. */
    boolean needsRecheck(Session s) {
        return clock.getAsLong() - s.checkedAt >= RECHECK.toMillis();
    }

    /** The account was looked up again: still there, and an admin or not. */
    void rechecked(Session s, boolean admin) {
        s.admin = admin;
        s.checkedAt = clock.getAsLong();
    }

    void remove(String id) {
        if (id != null) {
            byId.remove(id);
        }
    }

    /** Ends every session of a user (removed, or told to log in again). */
    void removeUser(String user) {
        byId.values().removeIf(s -> s.user.equals(user));
    }

    int size() {
        return byId.size();
    }

    private boolean expired(Session s, long now) {
        return now - s.lastSeen >= IDLE.toMillis() || now - s.createdAt >= LIFETIME.toMillis();
    }

    private void evict() {
        long now = clock.getAsLong();
        byId.values().removeIf(s -> expired(s, now));
        while (byId.size() >= MAX_SESSIONS) {
            byId.values().stream().min(Comparator.comparingLong(s -> s.lastSeen)).ifPresent(s -> byId.remove(s.id, s));
        }
    }

    private String secret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
