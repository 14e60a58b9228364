package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.RunArtifact;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.bus.RunWarning;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer and the read API of a run's warnings and artifacts, on an embedded H2. */
class RunWarningsAndArtifactsTest {

    @TempDir
    Path home;
    Database db;
    RunWriter writer;
    RunQueries queries;

    @BeforeEach
    void runs() throws SQLException {
        db = Database.openEmbedded(home);
        TestRuns runs = new TestRuns(db);
        runs.run("a", "lenet", RunStatus.RUNNING, "2024-05-01T10:00:00Z", Map.of(), Map.of())
                .run("b", "lenet", RunStatus.FINISHED, "2024-05-02T10:00:00Z", Map.of(), Map.of());
        writer = runs.writer();
        queries = new RunQueries(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static RunArtifact artifact(String run, String path, long step, long size) {
        return new RunArtifact(run, "image", "filters at " + step, path, size, "f".repeat(64), "image/png", step,
                (int) step / 10, 1_714_557_600_000L + step);
    }

    @Test
    void readsARunsWarningsInTheOrderTheyWereRecordedWithEveryField() throws SQLException {
        writer.write(new RunWarning("a", "initial_loss", 0, "initial loss 9.2 is far from ln(10)", 1_714_557_600_000L));
        writer.write(new RunWarning("a", "dead_relu", 40, "60% of conv1's units never fire", 1_714_557_601_000L));
        writer.write(new RunWarning("b", "update_ratio", 5, "other run", 1_714_557_602_000L));

        assertThat(queries.warnings("a")).extracting(StoredWarning::kind).containsExactly("initial_loss", "dead_relu");
        StoredWarning dead = queries.warnings("a").get(1);
        assertThat(dead.runId()).isEqualTo("a");
        assertThat(dead.step()).isEqualTo(40L);
        assertThat(dead.message()).isEqualTo("60% of conv1's units never fire");
        assertThat(dead.createdAt()).isEqualTo(Instant.ofEpochMilli(1_714_557_601_000L));
        assertThat(queries.warnings("nope")).isEmpty();
    }

    @Test
    void keepsAWarningDeliveredTwiceOnceButTheSameKindAtAnotherStepAgain() throws SQLException {
        RunWarning w = new RunWarning("a", "update_ratio", 10, "update ratio 0.2", 1_714_557_600_000L);
        writer.insertWarning(w);
        writer.insertWarning(w);
        writer.insertWarning(new RunWarning("a", "update_ratio", 20, "update ratio 0.2", 1_714_557_600_500L));
        assertThat(queries.warnings("a")).extracting(StoredWarning::step).containsExactly(10L, 20L);
    }

    @Test
    void cutsAnOverlongMessageInsteadOfRefusingTheWarning() throws SQLException {
        writer.insertWarning(new RunWarning("a", "long", 1, "x".repeat(10_000), 1L));
        writer.insertWarning(new RunWarning("a", "long", 1, "x".repeat(10_000), 1L));
        assertThat(queries.warnings("a")).singleElement().satisfies(w -> {
            assertThat(w.message()).hasSize(RunWriter.MAX_WARNING_LENGTH).endsWith("\u2026");
        });
    }

    @Test
    void readsARunsArtifactsByStepAndOneArtifactById() throws SQLException {
        writer.write(artifact("a", "a/filters-20.png", 20, 300));
        writer.write(artifact("a", "a/filters-10.png", 10, 200));
        writer.write(artifact("b", "b/model.zip", 99, 5_000));

        assertThat(queries.artifacts("a")).extracting(StoredArtifact::path).containsExactly("a/filters-10.png", "a/filters-20.png");
        StoredArtifact first = queries.artifacts("a").get(0);
        assertThat(first).isEqualTo(new StoredArtifact(first.id(), "a", "image", "filters at 10", "a/filters-10.png", 200,
                "f".repeat(64), "image/png", 10L, 1, Instant.ofEpochMilli(1_714_557_600_010L)));
        assertThat(queries.artifact(first.id())).contains(first);
        assertThat(queries.artifact(first.id() + 1_000)).isEmpty();
        assertThat(queries.artifacts("nope")).isEmpty();
    }

    @Test
    void aPathAnnouncedAgainUpdatesItsRowAndKeepsItsId() throws SQLException {
        writer.putArtifact(artifact("a", "a/model.zip", 10, 100));
        long id = queries.artifacts("a").get(0).id();
        writer.putArtifact(artifact("a", "a/model.zip", 50, 180));
        assertThat(queries.artifacts("a")).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(id);
            assertThat(a.step()).isEqualTo(50L);
            assertThat(a.sizeBytes()).isEqualTo(180L);
            assertThat(a.createdAt()).isEqualTo(Instant.ofEpochMilli(1_714_557_600_050L));
        });
    }

    @Test
    void refusesAnUnsafePathAsADataError() {
        assertThatThrownBy(() -> writer.putArtifact(artifact("a", "../../etc/passwd", 1, 1)))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"))
                .hasMessageContaining("not a relative path inside the artifacts folder");
        assertThat(queries.artifacts("a")).isEmpty();
    }
}
