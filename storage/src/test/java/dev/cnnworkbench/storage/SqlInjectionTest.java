package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.RunStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQL injection through everything a person or a REST client gives the run query: the filter (values, quoted
 * parameter and metric names, tags, patterns), the sort key, the direction and the page. Each attempt is either
 * refused as a bad filter or sort key, or read literally: it returns exactly the runs an honest reading names
 * (mostly none), and the tables are intact afterwards.
 */
class SqlInjectionTest {

    private static final List<String> ALL = List.of("a1", "a2", "b1", "b2", "c1");

    @TempDir
    static Path home;
    static Database db;
    static RunQueries queries;
    static long rowsBefore;

    /** One attempt: what is given, and the run ids it must return in id order ({@code null}: refused). */
    record Attempt(String filter, String sort, boolean descending, int offset, int limit, List<String> expected) {
        static Attempt filter(String filter, List<String> expected) {
            return new Attempt(filter, "id", false, 0, 100, expected);
        }

        static Attempt sort(String sort, List<String> expected) {
            return new Attempt("", sort, false, 0, 100, expected);
        }

        @Override
        public String toString() {
            return "filter=" + filter + " sort=" + sort + " desc=" + descending + " page=" + offset + "+" + limit;
        }
    }

    static Stream<Attempt> attempts() {
        List<String> none = List.of();
        return Stream.of(
                Attempt.filter("name = 'x'' OR ''1''=''1'", none),
                Attempt.filter("name = 'x'' or 1=1 --'", none),
                Attempt.filter("name = '''; DROP TABLE runs; --'", none),
                Attempt.filter("experiment = 'lenet'' UNION SELECT * FROM users --'", none),
                Attempt.filter("params.optimizer.name = 'adam'' OR TRUE OR '''", none),
                Attempt.filter("params.`optimizer.name' OR 1=1 --` = 'adam'", none),
                Attempt.filter("metrics.`val_accuracy' OR '1'='1` > 0", none),
                Attempt.filter("tag = 'x'') OR 1=1 --'", none),
                Attempt.filter("name like '%'' OR ''1''=''1'", none),
                Attempt.filter("name ilike '\\%'", none),
                Attempt.filter("status = 'FINISHED; DROP TABLE runs'", null),
                Attempt.filter("status in ('FINISHED', 'x'' OR 1=1')", null),
                Attempt.filter("name in ('x'' OR 1=1 --', 'lenet'' --')", none),
                Attempt.filter("notes = '1'' OR ''1''=''1'", none),
                Attempt.filter("user = 'user-a'' OR ''a''=''a'", none),
                Attempt.filter("host = ''''", none),
                Attempt.filter("error is null; DROP TABLE runs", null),
                Attempt.filter("name = 'a' -- comment", null),
                Attempt.filter("name = 'a' /* comment */", null),
                Attempt.filter("name = 'a'; SELECT 1", null),
                Attempt.filter("1=1", null),
                Attempt.filter("name = name", null),
                Attempt.filter("id = id or 1 = 1", null),
                Attempt.filter("params.x = 1 union select id from runs", null),
                Attempt.filter("status = 'FINISHED' or '1' = '1'", null),
                Attempt.filter("name = 'a' or true", null),
                Attempt.filter("started_at > '2024-01-01'' OR 1=1 --'", null),
                Attempt.filter("name = $$x$$", null),
                Attempt.filter("name = 'x' || 'y'", null),
                Attempt.filter("name = CHAR(39)", null),
                Attempt.filter("params.`lr` = 1) OR (1=1", null),
                Attempt.filter("metrics.val_accuracy > 0) or (1 = 1", null),
                Attempt.filter("name = 'x'\u0000'", null),
                Attempt.filter("name = \"x\"\" OR \"\"1\"\"=\"\"1\"", none),
                Attempt.filter("params.`a'b` is null", ALL),
                Attempt.filter("tag like 'x'' ESCAPE ''!'", none),
                Attempt.filter("name like '%' escape '!'", null),
                Attempt.filter("id = 'a1'' OR id <> '''", none),
                Attempt.filter("id in ('a1') or id = 'zz'' OR ''x''=''x'", List.of("a1")),
                Attempt.filter("metrics.`train_loss) OR (1=1` > -Infinity", none),
                Attempt.sort("started_at; DROP TABLE runs", null),
                Attempt.sort("name DESC, (SELECT password_hash FROM users)", null),
                Attempt.sort("1", null),
                Attempt.sort("(CASE WHEN 1=1 THEN name END)", null),
                Attempt.sort("params.x') DESC --", null),
                Attempt.sort("metrics.`x DESC, r.id; DROP TABLE runs`", ALL),
                Attempt.sort("params.`optimizer.lr' DESC --`", ALL),
                Attempt.sort("name COLLATE x", null),
                Attempt.sort("r.id", null),
                new Attempt("", "id", true, Integer.MAX_VALUE, Integer.MAX_VALUE, none),
                new Attempt("name = 'x'' OR 1=1'", "id", true, 3, 1, none));
    }

    @BeforeAll
    static void history() throws SQLException {
        db = Database.openEmbedded(home);
        queries = new RunQueries(db);
        TestRuns runs = new TestRuns(db)
                .run("a1", "lenet", RunStatus.FINISHED, "2024-05-01T10:00:00Z",
                        Map.of("optimizer.lr", 0.001, "optimizer.name", "adam"), Map.of("val_accuracy", 0.91))
                .run("a2", "lenet", RunStatus.FINISHED, "2024-05-02T10:00:00Z",
                        Map.of("optimizer.lr", 0.0005, "optimizer.name", "adam"), Map.of("val_accuracy", 0.88))
                .run("b1", "resnet", RunStatus.FAILED, "2024-05-03T10:00:00Z",
                        Map.of("optimizer.lr", 0.1, "optimizer.name", "sgd"), Map.of("train_loss", 0.5))
                .run("b2", "resnet", RunStatus.FINISHED, "2024-05-04T10:00:00Z",
                        Map.of("optimizer.lr", 0.0001), Map.of("val_accuracy", 0.95))
                .run("c1", "lenet", RunStatus.RUNNING, "2024-05-05T10:00:00Z", Map.of("optimizer.lr", 0.01), Map.of());
        runs.writer().addTags("a1", List.of("baseline"));
        rowsBefore = rows();
    }

    @AfterAll
    static void tablesAreIntact() throws SQLException {
        try {
            assertThat(rows()).as("runs, parameters, series and tags, as before").isEqualTo(rowsBefore);
            assertThat(queries.listRuns()).extracting(RunSummary::id).containsExactlyInAnyOrderElementsOf(ALL);
        } finally {
            db.close();
        }
    }

    private static long rows() throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT COUNT(*) FROM runs) * 1000000 + (SELECT COUNT(*) FROM run_params)"
                     + " * 10000 + (SELECT COUNT(*) FROM metric_series) * 100 + (SELECT COUNT(*) FROM run_tags)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest
    @MethodSource("attempts")
    void anAttemptIsRefusedOrReadLiterally(Attempt a) {
        if (a.expected() == null) {
            assertThatThrownBy(() -> queries.find(new RunQuery(a.filter(), a.sort(), a.descending(), a.offset(), a.limit())))
                    .isInstanceOf(FilterException.class);
            return;
        }
        RunPage page = queries.find(new RunQuery(a.filter(), a.sort(), a.descending(), a.offset(), a.limit()));
        assertThat(page.runs()).extracting(RunSummary::id).containsExactlyElementsOf(a.expected());
    }

    @ParameterizedTest
    @MethodSource("negativePages")
    void aNegativePageIsRefused(int offset, int limit) {
        assertThatThrownBy(() -> new RunQuery("", "id", false, offset, limit)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> negativePages() {
        return Stream.of(org.junit.jupiter.params.provider.Arguments.of(-1, 10),
                org.junit.jupiter.params.provider.Arguments.of(0, -1),
                org.junit.jupiter.params.provider.Arguments.of(Integer.MIN_VALUE, Integer.MIN_VALUE));
    }
}
