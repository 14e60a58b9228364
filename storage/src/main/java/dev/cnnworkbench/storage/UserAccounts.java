package dev.cnnworkbench.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The team's accounts (table {@code users}), their personal API tokens (table {@code api_tokens}) and their browser
 * sessions ({@link SessionStore}). Passwords are kept only as {@link PasswordHashes} hashes, tokens and session ids
 * only as the SHA-256 of their text: none can be read back. A password change, a revoke or a removal ends the
 * account's browser sessions.
 * Every method is one statement or transaction on a pooled connection and blocks: call it from a worker thread.
 * Failures of the database are {@link StorageException}s; refusals of bad input are IllegalArgumentExceptions whose
 * message says what to do. Thread-safe.
 */
public final class UserAccounts {

    /** Login names: a letter or digit, then letters, digits, '.', '_' or '-'; at most 64 characters. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final int MIN_PASSWORD_LENGTH = 8;
    public static final int MAX_PASSWORD_LENGTH = 1_024;
    /** What every token starts with, so a leaked one is recognisable in logs and scanners. */
    public static final String TOKEN_PREFIX = "wb_";
    private static final int TOKEN_BYTES = 32;
    private static final long TOKEN_USE_RESOLUTION_MS = 60_000;

    private final Database db;
    private final PasswordHashes hashes;
    private final SecureRandom random = new SecureRandom();
    /** Verified against when the name is unknown, so that takes as long as a wrong password; made on first use. */
    private volatile String dummyHash;

    public UserAccounts(Database db) {
        this(db, new PasswordHashes());
    }

    public UserAccounts(Database db, PasswordHashes hashes) {
        this.db = db;
        this.hashes = hashes;
    }

    /**
     * Adds an account. The name must match {@link #NAME} and be new; the password must have
     * {@value #MIN_PASSWORD_LENGTH} to {@value #MAX_PASSWORD_LENGTH} characters.
     */
    public void add(String name, char[] password, boolean admin) {
        checkName(name);
        String hash = hashes.hash(checkPassword(password));
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO users (name, password_hash, admin, created_at) SELECT ?, ?, ?, ? FROM DUAL"
                             + " WHERE NOT EXISTS (SELECT 1 FROM users WHERE name = ?)")) {
            ps.setString(1, name);
            ps.setString(2, hash);
            ps.setBoolean(3, admin);
            ps.setObject(4, OffsetDateTime.now(ZoneOffset.UTC));
            ps.setString(5, name);
            if (ps.executeUpdate() == 0) {
                throw new IllegalArgumentException("user '" + name + "' already exists");
            }
        } catch (SQLException e) {
            throw new StorageException("cannot add user " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Replaces a password (same rules as {@link #add}) and ends every browser session of the user in the same
     * transaction; false when there is no such user.
     */
    public boolean setPassword(String name, char[] password) {
        String hash = hashes.hash(checkPassword(password));
        return changeAndEndSessions("change the password of " + name, name, "UPDATE users SET password_hash = ?"
                + " WHERE name = ?", hash, name) == 1;
    }

    /**
     * Removes an account, its tokens and its browser sessions; false when there is no such user. Runs it recorded keep
     * its name.
     */
    public boolean remove(String name) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StorageException("cannot remove user " + name + ": " + e.getMessage(), e);
        }
    }

    /** The browser sessions of these accounts, in the same database. */
    public SessionStore sessions() {
        return new SessionStore(db);
    }

    /** Every account, by name. */
    public List<UserAccount> list() {
        return select("", null);
    }

    /** One account by name. */
    public Optional<UserAccount> find(String name) {
        return select(" WHERE u.name = ?", name).stream().findFirst();
    }

    /** Whether there is any account (a team-mode server needs one to be usable). */
    public boolean any() {
        return !list().isEmpty();
    }

    /**
     * The account whose name and password these are; empty when either is wrong. Takes as long for an unknown name
     * as for a wrong password (the password is checked against a dummy hash), and compares in constant time.
     */
    public Optional<UserAccount> login(String name, char[] password) {
        String stored = null;
        if (name != null && NAME.matcher(name).matches()) {
            try (Connection c = db.connection();
                 PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM users WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    stored = rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException e) {
                throw new StorageException("cannot check the password of " + name + ": " + e.getMessage(), e);
            }
        }
        boolean ok = hashes.verify(password, stored == null ? dummyHash() : stored) && stored != null;
        return ok ? find(name) : Optional.empty();
    }

    /**
     * A new personal API token for {@code name}: returned once, stored only as its SHA-256.
     *
     * @param label what the token is for (may be {@code null}), shown by {@code user list}
     * @throws IllegalArgumentException when there is no such user
     */
    public String newToken(String name, String label) {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = TOKEN_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens (token_sha256, user_name, label, created_at)"
                     + " SELECT ?, name, ?, ? FROM users WHERE name = ?")) {
            ps.setString(1, sha256(token));
            ps.setString(2, label == null || label.isBlank() ? null : label.strip());
            ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
            ps.setString(4, name);
            if (ps.executeUpdate() == 0) {
                throw new IllegalArgumentException("no user '" + name + "'; add it first with: workbench user add " + name);
            }
        } catch (SQLException e) {
            throw new StorageException("cannot store a token for " + name + ": " + e.getMessage(), e);
        }
        return token;
    }

    /**
     * Removes every token of {@code name} and ends every browser session of theirs (one transaction): whoever holds
     * one of them is out at the next request. Returns how many tokens there were.
     */
    public int revokeTokens(String name) {
        return changeAndEndSessions("revoke the tokens of " + name, name, "DELETE FROM api_tokens WHERE user_name = ?", name);
    }

    /** Runs {@code sql} with {@code params} and ends {@code user}'s browser sessions, in one transaction; rows changed. */
    private int changeAndEndSessions(String what, String user, String sql, String... params) {
        return db.inTransaction(what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setString(i + 1, params[i]);
                }
                int changed = ps.executeUpdate();
                SessionStore.removeUser(c, user);
                return changed;
            }
        });
    }

    /**
     * The account a token belongs to; empty for an unknown (or revoked) token. Found by the token's SHA-256, so the
     * lookup reveals nothing about stored tokens. Records when the token was last used (to the minute).
     */
    public Optional<UserAccount> byToken(String token) {
        if (token == null || !token.startsWith(TOKEN_PREFIX) || token.length() > 200) {
            return Optional.empty();
        }
        String hash = sha256(token);
        Optional<String> name;
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT user_name FROM api_tokens WHERE token_sha256 = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    name = rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
            if (name.isPresent()) {
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                try (PreparedStatement ps = c.prepareStatement("UPDATE api_tokens SET last_used_at = ? WHERE token_sha256 = ?"
                        + " AND (last_used_at IS NULL OR last_used_at < ?)")) {
                    ps.setObject(1, now);
                    ps.setString(2, hash);
                    ps.setObject(3, now.minusNanos(TOKEN_USE_RESOLUTION_MS * 1_000_000));
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new StorageException("cannot look up an API token: " + e.getMessage(), e);
        }
        return name.flatMap(this::find);
    }

    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            hash = hashes.hash("not-a-real-password".toCharArray());
            dummyHash = hash;
        }
        return hash;
    }

    /** The SHA-256 of a token's text, in lower-case hex: what {@code api_tokens} stores. */
    static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a user name is 1 to 64 letters, digits, '.', '_' or '-', starting with a"
                    + " letter or digit; got '" + name + "'");
        }
    }

    private static char[] checkPassword(char[] password) {
        if (password == null || password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("a password needs " + MIN_PASSWORD_LENGTH + " to " + MAX_PASSWORD_LENGTH
                    + " characters");
        }
        return password;
    }

    private List<UserAccount> select(String where, String name) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT u.name, u.admin, u.created_at,"
                     + " (SELECT COUNT(*) FROM api_tokens t WHERE t.user_name = u.name) FROM users u" + where
                     + " ORDER BY u.name")) {
            if (name != null) {
                ps.setString(1, name);
            }
            List<UserAccount> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime created = rs.getObject(3, OffsetDateTime.class);
                    out.add(new UserAccount(rs.getString(1), rs.getBoolean(2), created == null ? null : created.toInstant(),
                            rs.getInt(4)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StorageException("cannot read the user accounts: " + e.getMessage(), e);
        }
    }
}
