package dev.cnnworkbench.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The browser sessions of a team-mode server (table {@code browser_sessions}), so that they outlive a restart and end
 * at once when their account changes: {@link UserAccounts} removes a user's sessions when the password changes, the
 * tokens are revoked or the account is removed. A session id is never stored, only its SHA-256, so a copy of the
 * database gives no one a session. Every method is one statement on a pooled connection and blocks: call it from a
 * worker thread. Failures of the database are {@link StorageException}s. Thread-safe.
 */
public final class SessionStore {

    /**
     * A live session as stored.
     *
     * @param user      the account it belongs to
     * @param admin     whether that account is an admin now (read with the session, so a change shows at once)
     * @param createdAt when its user logged in
     * @param expiresAt when it ends unless it is extended
     */
    public record StoredSession(String user, boolean admin, Instant createdAt, Instant expiresAt) {
    }

    private final Database db;

    public SessionStore(Database db) {
        this.db = db;
    }

    /**
     * Records a new session for {@code user} and forgets every session that expired before {@code createdAt}; then,
     * when more than {@code max} sessions remain, those that would end first go.
     */
    public void add(String sessionId, String user, Instant createdAt, Instant expiresAt, int max) {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM browser_sessions WHERE expires_at <= ?")) {
                ps.setObject(1, utc(createdAt));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO browser_sessions (id_sha256, user_name, created_at,"
                    + " expires_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, UserAccounts.sha256(sessionId));
                ps.setString(2, user);
                ps.setObject(3, utc(createdAt));
                ps.setObject(4, utc(expiresAt));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM browser_sessions WHERE id_sha256 IN (SELECT"
                    + " id_sha256 FROM browser_sessions ORDER BY expires_at DESC OFFSET ? ROWS)")) {
                ps.setInt(1, max);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StorageException("cannot store a session of " + user + ": " + e.getMessage(), e);
        }
    }

    /** The session with this id, with its account; empty when unknown, ended, or expired at {@code now}. */
    public Optional<StoredSession> find(String sessionId, Instant now) {
        if (sessionId == null || sessionId.isEmpty() || sessionId.length() > 200) {
            return Optional.empty();
        }
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT u.name, u.admin, s.created_at, s.expires_at"
                     + " FROM browser_sessions s JOIN users u ON u.name = s.user_name"
                     + " WHERE s.id_sha256 = ? AND s.expires_at > ?")) {
            ps.setString(1, UserAccounts.sha256(sessionId));
            ps.setObject(2, utc(now));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new StoredSession(rs.getString(1), rs.getBoolean(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getObject(4, OffsetDateTime.class).toInstant()))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageException("cannot look up a session: " + e.getMessage(), e);
        }
    }

    /** Moves the session's end to {@code expiresAt} (never earlier than it is). */
    public void extend(String sessionId, Instant expiresAt) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE browser_sessions SET expires_at = ? WHERE id_sha256 = ?"
                     + " AND expires_at < ?")) {
            ps.setObject(1, utc(expiresAt));
            ps.setString(2, UserAccounts.sha256(sessionId));
            ps.setObject(3, utc(expiresAt));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException("cannot extend a session: " + e.getMessage(), e);
        }
    }

    /** Ends one session (logging out). */
    public void remove(String sessionId) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM browser_sessions WHERE id_sha256 = ?")) {
            ps.setString(1, UserAccounts.sha256(sessionId));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StorageException("cannot end a session: " + e.getMessage(), e);
        }
    }

    /** How many live sessions {@code user} has at {@code now}. */
    public int count(String user, Instant now) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM browser_sessions WHERE user_name = ?"
                     + " AND expires_at > ?")) {
            ps.setString(1, user);
            ps.setObject(2, utc(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot count the sessions of " + user + ": " + e.getMessage(), e);
        }
    }

    /** Ends every session of {@code user} on an open connection (inside the caller's transaction); how many there were. */
    static int removeUser(Connection c, String user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM browser_sessions WHERE user_name = ?")) {
            ps.setString(1, user);
            return ps.executeUpdate();
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
