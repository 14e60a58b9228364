package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserAccountsTest {

    @TempDir
    Path home;
    Database db;
    UserAccounts users;

    @BeforeEach
    void open() {
        db = Database.openEmbedded(home);
        users = new UserAccounts(db, new PasswordHashes(1_000));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void storesOnlyASaltedHashAndLogsInWithTheRightPasswordOnly() throws Exception {
        users.add("alice", "correct horse".toCharArray(), true);
        users.add("bob", "correct horse".toCharArray(), false);
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT password_hash FROM users ORDER BY name")) {
            rs.next();
            String alice = rs.getString(1);
            rs.next();
            assertThat(alice).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct horse");
            assertThat(rs.getString(1)).as("the same password, another salt").isNotEqualTo(alice);
        }
        assertThat(users.login("alice", "correct horse".toCharArray())).hasValueSatisfying(u -> {
            assertThat(u.name()).isEqualTo("alice");
            assertThat(u.admin()).isTrue();
        });
        assertThat(users.login("alice", "wrong horse".toCharArray())).isEmpty();
        assertThat(users.login("nobody", "correct horse".toCharArray())).isEmpty();
        assertThat(users.login("alice", new char[0])).isEmpty();
        assertThat(users.login("bad name!", "correct horse".toCharArray())).isEmpty();
    }

    @Test
    void refusesBadNamesShortPasswordsAndDuplicates() {
        assertThatThrownBy(() -> users.add("a b", "long enough".toCharArray(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a user name is");
        assertThatThrownBy(() -> users.add("carol", "short".toCharArray(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a password needs 8");
        users.add("carol", "long enough".toCharArray(), false);
        assertThatThrownBy(() -> users.add("carol", "long enough".toCharArray(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("user 'carol' already exists");
    }

    @Test
    void tokensAreShownOnceStoredAsSha256AndGoWithTheirUser() throws Exception {
        users.add("dave", "long enough".toCharArray(), false);
        String token = users.newToken("dave", "laptop");
        assertThat(token).startsWith(UserAccounts.TOKEN_PREFIX).hasSizeGreaterThan(40);
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT token_sha256, label, last_used_at FROM api_tokens")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(UserAccounts.sha256(token)).doesNotContain(token);
            assertThat(rs.getString(2)).isEqualTo("laptop");
            assertThat(rs.getObject(3)).isNull();
        }
        assertThat(users.byToken(token)).hasValueSatisfying(u -> assertThat(u.name()).isEqualTo("dave"));
        assertThat(users.byToken(token + "x")).isEmpty();
        assertThat(users.byToken("not-a-token")).isEmpty();
        assertThat(users.find("dave").orElseThrow().tokens()).isEqualTo(1);
        assertThatThrownBy(() -> users.newToken("nobody", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no user 'nobody'");

        assertThat(users.remove("dave")).isTrue();
        assertThat(users.byToken(token)).as("a removed user's token is revoked with it").isEmpty();
        assertThat(users.remove("dave")).isFalse();
        assertThat(users.any()).isFalse();
    }

    @Test
    void revokesTokensAndChangesPasswords() {
        users.add("erin", "first password".toCharArray(), false);
        String token = users.newToken("erin", null);
        assertThat(users.revokeTokens("erin")).isEqualTo(1);
        assertThat(users.byToken(token)).isEmpty();
        assertThat(users.setPassword("erin", "second password".toCharArray())).isTrue();
        assertThat(users.login("erin", "first password".toCharArray())).isEmpty();
        assertThat(users.login("erin", "second password".toCharArray())).isPresent();
        assertThat(users.setPassword("nobody", "second password".toCharArray())).isFalse();
        assertThat(users.list()).extracting(UserAccount::name).containsExactly("erin");
    }

    @Test
    void aHashVerifiesWithItsOwnIterationCountAndMalformedHashesMatchNothing() {
        PasswordHashes strong = new PasswordHashes(2_000);
        String hash = strong.hash("some password".toCharArray());
        assertThat(new PasswordHashes(1_000).verify("some password".toCharArray(), hash)).isTrue();
        assertThat(strong.verify("some password".toCharArray(), "plain text")).isFalse();
        assertThat(strong.verify("some password".toCharArray(), "pbkdf2-sha256$1000$!!$!!")).isFalse();
        assertThat(strong.verify("some password".toCharArray(), null)).isFalse();
        assertThat(PasswordHashes.DEFAULT_ITERATIONS).isGreaterThanOrEqualTo(600_000);
    }
}
