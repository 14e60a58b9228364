package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.cli.bench.WorkbenchProcess;
import dev.cnnworkbench.cli.home.HomeOptions;
import dev.cnnworkbench.cli.home.LocalStack;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety as a person meets it: a training process is killed with SIGKILL in the middle of its second epoch;
 * the next command finds the run INTERRUPTED with every metric of the finished epoch intact, and
 * {@code workbench resume} finishes it from its checkpoint into the same run.
 */
class KilledRunIT {

    @TempDir
    Path home;

    @Test
    void aRunKilledMidEpochIsInterruptedWithItsFinishedEpochIntactAndResumes() throws Exception {
        try (WorkbenchProcess training = WorkbenchProcess.start(List.of("run", "../experiments/lenet5-fashion.json",
                "--home", home.toString(), "--set", "train.epochs=3", "--set", "data.limit=1280",
                "--set", "train.validation=200", "--set", "data.test_limit=200"))) {
            String line = training.awaitLine(l -> l.startsWith("epoch 1/3:"), Duration.ofMinutes(5));
            assertThat(line).as("the first epoch ends; saw %s", training.stderr()).isNotNull();
            long deadline = System.currentTimeMillis() + 120_000;
            while (firstCheckpoint() == null && training.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(10); // the epoch counts as done once its checkpoint is written
            }
            assertThat(firstCheckpoint()).as("the first epoch's checkpoint; saw %s", training.stderr()).isNotNull();
            Thread.sleep(500); // into the second epoch, past the storage's 200 ms batch
            assertThat(training.kill()).as("SIGKILL: no shutdown hook runs").isEqualTo(137);
        }

        String id;
        try (Database db = LocalStack.openDatabase(homeOptions())) {
            RunQueries queries = new RunQueries(db);
            RunSummary run = queries.listRuns().get(0);
            id = run.id();
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(queries.history(run.id(), "val_accuracy")).extracting(MetricPoint::epoch).contains(0);
            assertThat(queries.history(run.id(), "train_loss")).extracting(MetricPoint::step)
                    .as("every iteration of the finished epoch (1,280 images, batch 64)")
                    .contains(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L);
        }

        InProcessCli.Result resumed = InProcessCli.run("resume", id, "--home", home.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("resuming from checkpoint-epoch-001.zip");
        try (Database db = LocalStack.openDatabase(homeOptions())) {
            RunQueries queries = new RunQueries(db);
            assertThat(queries.listRuns()).as("appended to the same run").singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(RunStatus.FINISHED))
                    .satisfies(r -> assertThat(r.error()).isNull());
            assertThat(queries.history(id, "val_accuracy")).extracting(MetricPoint::epoch).containsExactly(0, 1, 2);
            assertThat(queries.history(id, "train_loss")).extracting(MetricPoint::step)
                    .as("one point per iteration of the 3 epochs, the re-trained ones replacing the killed process's")
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 60).boxed().toList());
            assertThat(queries.history(id, "test_accuracy")).hasSize(1);
        }
        InProcessCli.Result again = InProcessCli.run("resume", id, "--home", home.toString());
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("run " + id + " is FINISHED; only an INTERRUPTED run can be resumed");
    }

    /** The checkpoint of the run's first epoch, once written; {@code null} before. */
    private Path firstCheckpoint() throws java.io.IOException {
        Path root = RunArtifacts.root(home);
        if (!java.nio.file.Files.isDirectory(root)) {
            return null;
        }
        try (var runs = java.nio.file.Files.list(root)) {
            return runs.map(dir -> RunArtifacts.checkpoint(dir, 1)).filter(java.nio.file.Files::exists).findFirst()
                    .orElse(null);
        }
    }

    private HomeOptions homeOptions() {
        HomeOptions options = new HomeOptions();
        options.home = home;
        return options;
    }
}
