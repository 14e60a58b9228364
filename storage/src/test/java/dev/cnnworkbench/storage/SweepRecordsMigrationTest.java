package dev.cnnworkbench.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunStatus;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V9 on a home written before sweeps were records ({@code fixtures/v7-sweep-ensemble.mv.db}, written by that day's
 * {@code workbench sweep} of {@code fixtures/v7-sweep-ensemble.json}: 4 trials, 2 FINISHED, one STOPPED by ASHA, one by
 * the explosion rule; then a snapshot-ensemble run and an {@code ensemble --sweep} run recorded in the sweep's
 * experiment): the trial runs are linked to a sweep record once, by their names, and nothing else is.
 */
class SweepRecordsMigrationTest {

    @TempDir
    Path home;

    private Database open() throws IOException {
        Path db = Files.createDirectories(home.resolve("db")).resolve("workbench.mv.db");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/v7-sweep-ensemble.mv.db")) {
            Files.copy(in, db);
        }
        return Database.openEmbedded(home);
    }

    @Test
    void linksTheOldTrialRunsToASweepRecordByTheirNamesOnce() throws IOException {
        try (Database db = open()) {
            SweepStore sweeps = new SweepStore(db);
            assertThat(sweeps.sweeps()).singleElement().satisfies(s -> {
                assertThat(s.id()).isEqualTo("fx-sweep");
                assertThat(s.status()).isEqualTo("MIGRATED");
                assertThat(s.trials()).isEqualTo(4);
                assertThat(s.metric()).isEqualTo("val_accuracy");
            });
            List<SweepStore.Trial> trials = sweeps.trials("fx-sweep");
            assertThat(trials).extracting(SweepStore.Trial::trial).containsExactly(1, 2, 3, 4);
            assertThat(trials).extracting(SweepStore.Trial::status).containsExactly(RunStatus.FINISHED,
                    RunStatus.FINISHED, RunStatus.STOPPED, RunStatus.STOPPED);
            assertThat(trials).allSatisfy(t -> {
                assertThat(t.runName()).isEqualTo(String.format("fx-sweep-trial-%03d", t.trial()));
                assertThat(new JsonObject(t.values()).fieldNames())
                        .containsExactlyInAnyOrder("optimizer.lr", "regularization.l2");
                assertThat(t.objective()).isBetween(0.0, 1.0);
            });

            RunQueries runs = new RunQueries(db);
            assertThat(runs.find(RunQuery.filter("sweep = 'fx-sweep'", 100)).runs()).extracting(RunSummary::name)
                    .as("the ensemble run of the same experiment is no trial")
                    .containsExactlyInAnyOrder("fx-sweep-trial-001", "fx-sweep-trial-002", "fx-sweep-trial-003",
                            "fx-sweep-trial-004");
            assertThat(runs.find(RunQuery.filter("trial = 3", 100)).runs()).extracting(RunSummary::name)
                    .containsExactly("fx-sweep-trial-003");
            assertThat(runs.find(RunQuery.filter("sweep is null", 100)).runs()).hasSize(2);
            assertThat(runs.find(RunQuery.filter("ensemble is null", 100)).runs()).hasSize(6);
        }
        try (Database again = Database.openEmbedded(home)) {
            assertThat(new SweepStore(again).trials("fx-sweep")).hasSize(4);
        }
    }
}
