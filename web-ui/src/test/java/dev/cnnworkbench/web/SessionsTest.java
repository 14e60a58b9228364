package dev.cnnworkbench.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.PasswordHashes;
import dev.cnnworkbench.storage.UserAccounts;
import dev.cnnworkbench.web.auth.Sessions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Browser sessions in a real H2: expiry, hashes only, a restart, and account changes ending them at once. */
class SessionsTest {

    @TempDir
    Path home;
    final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    Database db;
    UserAccounts users;
    Sessions sessions;

    @BeforeEach
    void open() {
        db = Database.openEmbedded(home);
        users = new UserAccounts(db, new PasswordHashes(1_000));
        users.add("alice", "alice's password".toCharArray(), false);
        users.add("bob", "bob's password".toCharArray(), true);
        sessions = new Sessions(users.sessions(), now::get);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aSessionHasRandomSecretsAndEndsWhenIdleForTooLong() {
        Sessions.Session a = sessions.create("alice", false);
        Sessions.Session b = sessions.create("alice", false);
        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(43);
        assertThat(a.csrfToken()).isNotEqualTo(a.id()).isNotEqualTo(b.csrfToken());
        now.addAndGet(Sessions.IDLE.toMillis() - 1);
        assertThat(sessions.find(a.id())).contains(a);
        now.addAndGet(Sessions.IDLE.toMillis() - 1);
        assertThat(sessions.find(a.id())).as("used a moment ago: still live").contains(a);
        assertThat(sessions.find(b.id())).as("idle too long").isEmpty();
        assertThat(sessions.find("unknown")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
    }

    @Test
    void aSessionEndsAfterItsLifetimeHoweverBusy() {
        Sessions.Session a = sessions.create("alice", false);
        for (long t = 0; t < Sessions.LIFETIME.toMillis(); t += Sessions.IDLE.toMillis() / 2) {
            assertThat(sessions.find(a.id())).isPresent();
            now.addAndGet(Sessions.IDLE.toMillis() / 2);
        }
        assertThat(sessions.find(a.id())).isEmpty();
    }

    @Test
    void onlyAHashOfTheIdIsStoredAndASessionOutlivesARestart() throws Exception {
        Sessions.Session a = sessions.create("alice", false);
        assertThat(storedText()).isNotEmpty().noneMatch(v -> v.contains(a.id()) || v.contains(a.csrfToken()));
        db.close();
        db = Database.openEmbedded(home);
        Sessions afterRestart = new Sessions(new UserAccounts(db).sessions(), now::get);
        assertThat(afterRestart.find(a.id())).contains(a);
    }

    @Test
    void aPasswordChangeARevokeAndARemovalEndTheUsersSessionsAtOnce() {
        Sessions.Session a = sessions.create("alice", false);
        Sessions.Session b = sessions.create("bob", true);
        users.setPassword("alice", "a new password".toCharArray());
        assertThat(sessions.find(a.id())).isEmpty();
        assertThat(sessions.find(b.id())).as("another user's session stays").isPresent();
        Sessions.Session a2 = sessions.create("alice", false);
        users.revokeTokens("alice");
        assertThat(sessions.find(a2.id())).isEmpty();
        users.remove("bob");
        assertThat(sessions.find(b.id())).isEmpty();
    }

    @Test
    void anAccountMadeAdminIsAdminInItsSessionAtOnce() throws Exception {
        Sessions.Session a = sessions.create("alice", false);
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE users SET admin = TRUE WHERE name = 'alice'");
        }
        assertThat(sessions.find(a.id()).orElseThrow().admin()).isTrue();
    }

    @Test
    void sessionsBeyondTheLimitEndFirstThoseEndingFirst() {
        Sessions.Session first = sessions.create("alice", false);
        now.addAndGet(1_000);
        for (int i = 0; i < 3; i++) {
            users.sessions().add("id-" + i, "bob", java.time.Instant.ofEpochMilli(now.get()),
                    java.time.Instant.ofEpochMilli(now.get()).plus(Sessions.IDLE), 3);
        }
        assertThat(sessions.find(first.id())).isEmpty();
        assertThat(users.sessions().count("bob", java.time.Instant.ofEpochMilli(now.get()))).isEqualTo(3);
    }

    private List<String> storedText() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id_sha256, user_name, CAST(created_at AS VARCHAR),"
                     + " CAST(expires_at AS VARCHAR) FROM browser_sessions")) {
            while (rs.next()) {
                for (int i = 1; i <= 4; i++) {
                    out.add(rs.getString(i));
                }
            }
        }
        return out;
    }
}
