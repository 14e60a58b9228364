package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.UserAccounts;
import io.vertx.core.json.JsonArray;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code workbench user ...} in-process against a temp home: what it stores and prints, and what it refuses. */
class UserCommandTest {

    @TempDir
    Path home;

    private InProcessCli.Result user(String stdin, String... args) {
        InputStream in = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] all = new String[args.length + 3];
            all[0] = "user";
            System.arraycopy(args, 0, all, 1, args.length);
            all[args.length + 1] = "--home";
            all[args.length + 2] = home.toString();
            return InProcessCli.run(all);
        } finally {
            System.setIn(in);
        }
    }

    @Test
    void addsUsersFromAFileOrStandardInputAndListsThem() throws Exception {
        Path file = home.resolve("pw.txt");
        Files.writeString(file, "alice's password\nignored second line\n");
        InProcessCli.Result added = user("", "add", "alice", "--admin", "--password-file", file.toString());
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("added user alice (admin)");
        assertThat(user("bob's password\n", "add", "bob").exitCode()).isZero();

        InProcessCli.Result list = user("", "list", "--format", "json");
        JsonArray users = new JsonArray(list.out());
        assertThat(users).hasSize(2);
        assertThat(users.getJsonObject(0).getString("name")).isEqualTo("alice");
        assertThat(users.getJsonObject(0).getBoolean("admin")).isTrue();
        assertThat(users.getJsonObject(1).getBoolean("admin")).isFalse();
        assertThat(user("", "list").out()).contains("NAME", "alice", "yes", "bob", "no");

        try (Database db = Database.openEmbedded(home)) {
            UserAccounts accounts = new UserAccounts(db);
            assertThat(accounts.login("alice", "alice's password".toCharArray())).isPresent();
            assertThat(accounts.login("bob", "bob's password".toCharArray())).isPresent();
        }
    }

    @Test
    void printsATokenOnceThatStandsForItsUserUntilRevoked() {
        user("carol's password\n", "add", "carol");
        InProcessCli.Result made = user("", "token", "carol", "--label", "laptop");
        assertThat(made.exitCode()).as(made.err()).isZero();
        String token = made.out().strip();
        assertThat(token).startsWith("wb_").doesNotContain(" ");
        assertThat(made.err()).contains("only time the token is shown", "Authorization: Bearer");
        try (Database db = Database.openEmbedded(home)) {
            assertThat(new UserAccounts(db).byToken(token)).hasValueSatisfying(u -> assertThat(u.name()).isEqualTo("carol"));
        }
        assertThat(user("", "list").out()).contains("carol").containsPattern("carol\\s+no\\s+1");
        assertThat(user("", "revoke", "carol").out()).contains("revoked 1 token of carol");
        try (Database db = Database.openEmbedded(home)) {
            assertThat(new UserAccounts(db).byToken(token)).isEmpty();
        }
    }

    @Test
    void changesAPasswordAndRemovesAUser() {
        user("first password\n", "add", "dave");
        assertThat(user("second password\n", "password", "dave").exitCode()).isZero();
        try (Database db = Database.openEmbedded(home)) {
            assertThat(new UserAccounts(db).login("dave", "second password".toCharArray())).isPresent();
        }
        assertThat(user("", "remove", "dave").out()).contains("removed user dave");
        assertThat(user("", "list").out()).contains("no users yet");
    }

    @Test
    void refusesWithExitCode2AndAClearMessage() {
        assertThat(user("short\n", "add", "erin").err()).contains("a password needs 8");
        user("long enough\n", "add", "erin");
        InProcessCli.Result again = user("long enough\n", "add", "erin");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("user 'erin' already exists");
        assertThat(user("long enough\n", "add", "not a name").err()).contains("a user name is");
        assertThat(user("", "add", "frank").err()).contains("no password in standard input");
        assertThat(user("", "token", "nobody").err()).contains("no user 'nobody'");
        InProcessCli.Result remove = user("", "remove", "nobody");
        assertThat(remove.exitCode()).isEqualTo(2);
        assertThat(remove.err()).contains("no user 'nobody'");
        assertThat(user("", "add", "gina", "--password-file", home.resolve("missing").toString()).err())
                .contains("cannot read the password file");
    }

    @Test
    void serveAuthRefusesToStartWithoutAUser() {
        InProcessCli.Result r = InProcessCli.run("serve", "--auth", "--port", "0", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("team mode needs at least one user", "user add NAME --admin");
        assertThat(home.resolve("server.json")).doesNotExist();
    }
}
