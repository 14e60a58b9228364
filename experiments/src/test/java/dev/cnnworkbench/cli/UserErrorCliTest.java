package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a careless user or an attacker gives the command line, through the real command line: a database URL
 * crafted to run a shell command (as {@code --db} and as {@code WORKBENCH_DB}), an empty or foreign database file,
 * filters nested thousands deep, a sort key nobody has. Each ends with one clear line and its exit code, never a
 * stack trace (unless {@code --debug}), never a command run, never a file overwritten.
 */
class UserErrorCliTest {

    @TempDir
    Path home;

    /** A URL whose one allowed-looking setting carries, escaped, an alias that runs {@code touch MARKER}. */
    private static String crafted(String database, Path marker) {
        return "jdbc:h2:" + database + ";LOCK_TIMEOUT=1\\;CREATE/**/ALIAS SHX AS $$ void shx(String f) throws Exception {"
                + " Runtime.getRuntime().exec(new String[] {\"touch\", f}).waitFor()\\; } $$\\;CALL SHX('" + marker + "')";
    }

    @Test
    void aDatabaseUrlCraftedToRunCodeIsRefusedBeforeH2SeesIt() {
        Path marker = home.resolve("pwned");
        for (String database : List.of("mem:x", "file:" + home.resolve("x"))) {
            InProcessCli.Result r = InProcessCli.run("runs", "--home", home.toString(), "--db", crafted(database, marker));
            assertThat(marker).as("the alias never ran").doesNotExist();
            assertThat(r.exitCode()).as(r.err()).isEqualTo(4);
            assertThat(r.err()).contains("refused: a backslash at position");
            assertOneLine(r);
        }
    }

    @Test
    void theSameUrlFromTheEnvironmentIsRefusedToo() throws Exception {
        Path marker = home.resolve("pwned-env");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Workbench.class.getName(), "runs", "--home", home.toString())
                .redirectErrorStream(true);
        pb.environment().put("WORKBENCH_DB", crafted("mem:x", marker));
        pb.environment().remove("WORKBENCH_DEBUG");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(marker).as("the alias never ran").doesNotExist();
        assertThat(p.exitValue()).as(out).isEqualTo(4);
        assertThat(out).contains("refused: a backslash").doesNotContain("\tat ");
    }

    @Test
    void anEmptyOrForeignDatabaseFileIsCorruptAndKept() throws Exception {
        Path file = Files.createDirectories(home.resolve("db")).resolve("workbench.mv.db");
        Files.write(file, new byte[0]);
        InProcessCli.Result empty = InProcessCli.run("runs", "--home", home.toString());
        assertThat(empty.exitCode()).as(empty.err()).isEqualTo(4);
        assertThat(empty.err()).contains(file.toAbsolutePath().normalize().toString()).contains("empty");
        assertThat(empty.out()).doesNotContain("no runs recorded");
        assertThat(Files.size(file)).as("not recreated").isZero();
        Files.writeString(file, "SQLite format 3\u0000");
        InProcessCli.Result foreign = InProcessCli.run("runs", "--home", home.toString());
        assertThat(foreign.exitCode()).isEqualTo(4);
        assertThat(foreign.err()).contains("not a database");
        assertOneLine(foreign);
        assertThat(Files.readString(file)).isEqualTo("SQLite format 3\u0000");
    }

    @Test
    void userErrorsEndInOneLineAndTheirExitCode() throws Exception {
        record Case(int exit, String expected, String... args) {
        }
        for (Case c : List.of(
                new Case(2, "nest deeper than 64", "runs", "--filter", "(".repeat(5_000)),
                new Case(2, "nest deeper than 64", "runs", "--filter", "not ".repeat(20_000) + "status = 'FAILED'"),
                new Case(2, "more than 256 conditions", "runs", "--filter", String.join(" and ",
                        java.util.Collections.nCopies(5_000, "params.x = 1"))),
                new Case(4, "the 'zip:' form", "runs", "--db", "jdbc:h2:zip:" + home.resolve("a.zip") + "!/db"),
                new Case(4, "cannot create the folder", "runs", "--db", "jdbc:h2:file:/proc/nope/db"))) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(c.args()),
                    java.util.stream.Stream.of("--home", home.toString())).toArray(String[]::new);
            InProcessCli.Result r = InProcessCli.run(args);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(c.exit());
            assertThat(r.err()).contains(c.expected()).doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(r.err().lines().count()).as(r.err()).isLessThanOrEqualTo(3);
        }
    }

    @Test
    void debugShowsTheTrace() {
        InProcessCli.Result r = InProcessCli.run("runs", "--home", home.toString(), "--debug", "--db", "jdbc:h2:mem:x");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.err()).contains("refused").contains("\tat dev.cnnworkbench.storage.DatabaseUrls");
    }

    @Test
    void aSortKeyNoRunHasAndAFilterMatchingNothingAreSaidSo() throws Exception {
        try (Database db = Database.openEmbedded(home)) {
            RunWriter writer = new RunWriter(db);
            writer.insertRun(new RunStarted("cli000000001", "one", "lenet", "{}", Map.of("optimizer.lr", 0.01), Map.of(),
                    System.currentTimeMillis(), 1, "elsewhere", "alice"));
            writer.insertMetrics(List.of(new RunWriter.RunPoint("cli000000001",
                    new MetricPoint("val_accuracy", 1, 0, System.currentTimeMillis(), 0.5))));
        }
        InProcessCli.Result sort = InProcessCli.run("runs", "--home", home.toString(), "--sort", "metrics.nope");
        assertThat(sort.exitCode()).as(sort.err()).isEqualTo(2);
        assertThat(sort.err()).contains("no run has metrics.nope").contains("metrics.val_accuracy");

        InProcessCli.Result none = InProcessCli.run("runs", "--home", home.toString(), "--filter", "name = 'other'");
        assertThat(none.exitCode()).isZero();
        assertThat(none.out()).contains("no run matches the filter name = 'other' (1 runs recorded)")
                .doesNotContain("no runs recorded yet");
        assertThat(InProcessCli.run("runs", "--home", home.toString(), "--filter", "name = 'other'", "--format", "json")
                .out().replaceAll("\\s", "")).isEqualTo("[]");
    }

    private static void assertOneLine(InProcessCli.Result r) {
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
    }
}
