package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.RunWarning;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunChangesTest {

    @TempDir
    Path home;
    Database db;
    TestRuns runs;
    RunChanges changes;
    RunQueries queries;

    @BeforeEach
    void runs() throws SQLException {
        db = Database.openEmbedded(home);
        runs = new TestRuns(db);
        runs.run("a1", "lenet", RunStatus.FINISHED, "2024-05-01T10:00:00Z", Map.of("optimizer.lr", 0.1), Map.of("loss", 1.0))
                .run("a2", "lenet", RunStatus.FINISHED, "2024-05-02T10:00:00Z", Map.of(), Map.of("loss", 2.0))
                .run("r1", "lenet", RunStatus.RUNNING, "2024-05-03T10:00:00Z", Map.of(), Map.of());
        runs.points("a1", "train_loss", 5_000, s -> 1.0 / (1 + s));
        runs.points("a2", "train_loss", 300, s -> 2.0);
        changes = new RunChanges(db);
        queries = new RunQueries(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void tellsARunsOwnerAndStatus() {
        assertThat(changes.owner("a1")).contains(new RunChanges.RunOwner("a1", "user-a", RunStatus.FINISHED));
        assertThat(changes.owner("r1").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(changes.owner("zz")).isEmpty();
    }

    @Test
    void renamesTrimmedAndRefusesBadNames() {
        assertThat(changes.rename("a1", "  baseline  ")).isTrue();
        assertThat(queries.run("a1").orElseThrow().name()).isEqualTo("baseline");
        assertThat(changes.rename("zz", "x")).isFalse();
        assertThatThrownBy(() -> changes.rename("a1", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> changes.rename("a1", "a\u0000b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> changes.rename("a1", "x".repeat(256))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletesAnEndedRunWithEverythingRecordedAboutItAndNothingElse() throws Exception {
        runs.writer().addTags("a1", List.of("keep"));
        runs.writer().insertWarning(new RunWarning("a1", "initial_loss", 0, "far from ln(10)", 1L));
        runs.writer().putArtifact(new RunArtifact("a1", "model", "final network", "a1/model.zip", 4, "0".repeat(64),
                "application/zip", 10, 1, 1L));
        long before = count("metric_chunks") + count("metric_rollups");

        RunChanges.Deleted deleted = changes.delete("a1");

        assertThat(deleted.outcome()).isEqualTo(RunChanges.Deletion.DELETED);
        assertThat(deleted.artifactPaths()).containsExactly("a1/model.zip");
        assertThat(queries.run("a1")).isEmpty();
        for (String table : List.of("run_params", "run_tags", "run_warnings", "artifacts", "metric_series")) {
            assertThat(countWhere(table, "run_id = 'a1'")).as(table).isZero();
        }
        assertThat(count("metric_chunks") + count("metric_rollups")).isLessThan(before).isPositive();
        assertThat(queries.history("a2", "train_loss")).as("another run's points are untouched").hasSize(300);
        assertThat(changes.delete("a1").outcome()).isEqualTo(RunChanges.Deletion.NO_SUCH_RUN);
    }

    @Test
    void leavesARunningRunAlone() {
        assertThat(changes.delete("r1").outcome()).isEqualTo(RunChanges.Deletion.STILL_RUNNING);
        assertThat(queries.run("r1")).isPresent();
    }

    private long count(String table) throws SQLException {
        return countWhere(table, "TRUE");
    }

    private long countWhere(String table, String where) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE " + where)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
