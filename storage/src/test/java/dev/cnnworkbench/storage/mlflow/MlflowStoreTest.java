package dev.cnnworkbench.storage.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.RunWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What V10 and the MLflow store classes record, against a real H2. */
class MlflowStoreTest {

    @TempDir
    Path home;
    Database db;
    MlflowExperiments experiments;
    MlflowRuns runs;
    RunQueries queries;

    @BeforeEach
    void open() throws SQLException {
        db = Database.openEmbedded(home);
        new RunWriter(db).insertRun(new RunStarted("r1", "first", "lenet", "{}", Map.of("optimizer.lr", 0.01), Map.of(),
                1_700_000_000_000L, 0, "h", "alice"));
        experiments = new MlflowExperiments(db);
        runs = new MlflowRuns(db);
        queries = new RunQueries(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void experimentsGetIdsTheDefaultIsZeroAndARenameCarriesTheRuns() {
        long lenet = experiments.byName("lenet").orElseThrow().id();
        assertThat(lenet).isPositive();
        assertThat(experiments.byId(0).orElseThrow().name()).isEqualTo("Default");
        MlflowExperiments.Created created = experiments.create("mlflow-x", "bob", Map.of("k", "v"));
        assertThat(created.existed()).isFalse();
        assertThat(experiments.create("mlflow-x", "bob", Map.of()).existed()).isTrue();
        assertThat(experiments.byId(created.id()).orElseThrow().tags()).containsEntry("k", "v");

        assertThat(experiments.rename(lenet, "lenet-renamed")).isTrue();
        assertThat(queries.run("r1").orElseThrow().experiment()).isEqualTo("lenet-renamed");
        assertThat(experiments.setDeleted(lenet, true)).isTrue();
        assertThat(runs.state("r1").orElseThrow().deleted()).isTrue();
        assertThat(experiments.search(null, List.of("active"), "mlflow_id", 0, 10)).extracting(MlflowExperiment::name)
                .containsExactly("Default", "mlflow-x");
    }

    @Test
    void emptyValuedTagsArePlainTagsAndNamedTagsMapOntoRunColumns() {
        runs.setTags("r1", Map.of("baseline", "", "team", "vision", "mlflow.runName", "renamed",
                "mlflow.note.content", "a note"));
        RunSummary run = queries.run("r1").orElseThrow();
        assertThat(run.tags()).containsExactly("baseline");
        assertThat(run.name()).isEqualTo("renamed");
        assertThat(run.notes()).isEqualTo("a note");
        assertThat(runs.extras(List.of("r1")).get("r1").tags()).containsExactly(Map.entry("team", "vision"));
        assertThat(runs.withTag("baseline", "=", "")).containsExactly("r1");
        assertThat(runs.withTag("team", "LIKE", "vis%")).containsExactly("r1");

        runs.setTags("r1", Map.of("baseline", "now with a value"));
        assertThat(queries.run("r1").orElseThrow().tags()).isEmpty();
        assertThat(runs.deleteTag("r1", "baseline")).isTrue();
        assertThat(runs.deleteTag("r1", "baseline")).isFalse();
    }

    @Test
    void paramsAreKeptAsLoggedAndNeverChange() {
        runs.logParams("r1", Map.of("batch", "64", "act", "relu"));
        runs.logParams("r1", Map.of("batch", "64"));
        assertThat(queries.run("r1").orElseThrow().params()).containsEntry("batch", 64L).containsEntry("act", "relu");
        assertThat(runs.extras(List.of("r1")).get("r1").params()).containsEntry("batch", "64");
        assertThatThrownBy(() -> runs.logParams("r1", Map.of("new", "1", "batch", "128")))
                .isInstanceOf(MlflowRuns.ParamConflict.class).hasMessageContaining("'batch' already has the value '64'");
        assertThat(runs.extras(List.of("r1")).get("r1").params()).doesNotContainKey("new");
    }
}
