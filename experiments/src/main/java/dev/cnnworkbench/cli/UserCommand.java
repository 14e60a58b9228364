package dev.cnnworkbench.cli;

import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.PasswordHashes;
import dev.cnnworkbench.storage.UserAccount;
import dev.cnnworkbench.storage.UserAccounts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code workbench user}: the people of a team-mode server ({@code serve --auth}), in the home's database: add (with a
 * password read as {@link PasswordInput} says, stored as a PBKDF2 hash), password, token (a personal API token, shown
 * once, stored as its SHA-256), revoke (tokens and browser sessions), list, remove; a password change, a revoke and a
 * removal end the user's browser sessions. An embedded database is held by a running server: change users
 * while it is stopped, or point {@code --db} at the team's database server.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage the people who may use a team-mode server (serve --auth).",
        subcommands = {UserCommand.Add.class, UserCommand.Password.class, UserCommand.Token.class, UserCommand.Revoke.class,
            UserCommand.ListUsers.class, UserCommand.Remove.class})
final class UserCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Opens the home's database for one change. */
    static <T> T withAccounts(HomeOptions home, java.util.function.Function<UserAccounts, T> work) {
        try (Database db = LocalStack.openDatabase(home)) {
            return work.apply(new UserAccounts(db));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user, with a password read from"
            + " --password-file, the terminal (typed twice) or the first line of standard input.")
    static final class Add implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME", description = "login name: letters, digits, '.', '_', '-'")
        String name;

        @Option(names = "--admin", description = "may rename and delete every run, not only their own")
        boolean admin;

        @Option(names = "--password-file", paramLabel = "FILE", description = "read the password from this file's first line")
        Path passwordFile;

        @Mixin
        HomeOptions home;

        @Override
        public Integer call() throws Exception {
            char[] password = PasswordInput.read(passwordFile, System.console(), System.in, "password for " + name);
            try {
                withAccounts(home, users -> {
                    users.add(name, password, admin);
                    return null;
                });
            } finally {
                PasswordHashes.wipe(password);
            }
            System.out.println("added user " + name + (admin ? " (admin)" : "") + "; they log in at the dashboard of"
                    + " 'workbench serve --auth', or use a token from 'workbench user token " + name + "'");
            return 0;
        }
    }

    @Command(name = "password", mixinStandardHelpOptions = true, description = "Set a user's password (read as for add).")
    static final class Password implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--password-file", paramLabel = "FILE", description = "read the password from this file's first line")
        Path passwordFile;

        @Mixin
        HomeOptions home;

        @Override
        public Integer call() throws Exception {
            char[] password = PasswordInput.read(passwordFile, System.console(), System.in, "new password for " + name);
            boolean changed;
            try {
                changed = withAccounts(home, users -> users.setPassword(name, password));
            } finally {
                PasswordHashes.wipe(password);
            }
            if (!changed) {
                throw new IllegalArgumentException("no user '" + name + "'");
            }
            System.out.println("changed the password of " + name + "; their browser sessions are ended (they log in again)");
            return 0;
        }
    }

    @Command(name = "token", mixinStandardHelpOptions = true, description = "Make a personal API token for a user and"
            + " print it: it is shown this once. Send it as 'Authorization: Bearer TOKEN'.")
    static final class Token implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--label", paramLabel = "TEXT", description = "what the token is for, e.g. the machine it is on")
        String label;

        @Mixin
        HomeOptions home;

        @Override
        public Integer call() {
            String token = withAccounts(home, users -> users.newToken(name, label));
            System.out.println(token);
            System.err.println("This is the only time the token is shown; only its SHA-256 is stored. Send it as"
                    + " 'Authorization: Bearer TOKEN'. 'workbench user revoke " + name + "' revokes it.");
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke every API token of a user and end their"
            + " browser sessions.")
    static final class Revoke implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Mixin
        HomeOptions home;

        @Override
        public Integer call() {
            int n = withAccounts(home, users -> users.revokeTokens(name));
            System.out.println("revoked " + n + " token" + (n == 1 ? "" : "s") + " of " + name + " and ended their browser"
                    + " sessions");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users.")
    static final class ListUsers implements Callable<Integer> {

        @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE})")
        String format;

        @Mixin
        HomeOptions home;

        @Override
        public Integer call() {
            if (!format.equals("table") && !format.equals("json")) {
                throw new IllegalArgumentException("--format must be table or json, got " + format);
            }
            List<UserAccount> users = withAccounts(home, UserAccounts::list);
            if (format.equals("json")) {
                JsonArray out = new JsonArray();
                users.forEach(u -> out.add(new JsonObject().put("name", u.name()).put("admin", u.admin())
                        .put("tokens", u.tokens()).put("created", String.valueOf(u.createdAt()))));
                System.out.println(out.encodePrettily());
                return 0;
            }
            if (users.isEmpty()) {
                System.out.println("no users yet: add one with 'workbench user add NAME --admin'");
                return 0;
            }
            System.out.printf("%-24s %-6s %-7s %s%n", "NAME", "ADMIN", "TOKENS", "CREATED");
            users.forEach(u -> System.out.printf("%-24s %-6s %-7d %s%n", u.name(), u.admin() ? "yes" : "no", u.tokens(),
                    u.createdAt()));
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a user, their tokens and sessions; the runs"
            + " they recorded keep their name.")
    static final class Remove implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Mixin
        HomeOptions home;

        @Override
        public Integer call() {
            if (!withAccounts(home, users -> users.remove(name))) {
                throw new IllegalArgumentException("no user '" + name + "'");
            }
            System.out.println("removed user " + name + ", their tokens and their browser sessions");
            return 0;
        }
    }
}
