package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.cli.bench.CrashSoak;
import dev.cnnworkbench.cli.bench.WorkbenchProcess;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash suite's short version ({@code ./workbench bench crash} is the long soak), with real processes and SIGKILL:
 * a training process on a tiny spec with the default diagnostics, killed three times at seeded moments (just after an
 * epoch's checkpoint, and within an epoch) and resumed each time, ends FINISHED with every acknowledged point kept and
 * the uninterrupted run's network, bit for bit; and a run whose {@code serve} is killed mid-ingest loses nothing.
 */
class CrashSoakIT {

    static final String SPEC = "../experiments/lenet5-fashion.json";

    /** A small conv net on 256 images, 8 batches an epoch; 3 kills need 5 epochs to leave one for the last resume. */
    static final List<String> TINY = List.of("train.epochs=5", "data.limit=256", "train.batch=32",
            "train.validation=64", "data.test_limit=64", "train.checkpoints={\"keep\": 2}",
            "model.layers=[{\"type\": \"conv2d\", \"filters\": 4, \"kernel\": 5, \"activation\": \"relu\"},"
                    + " {\"type\": \"maxpool\", \"kernel\": 2, \"stride\": 2},"
                    + " {\"type\": \"dense\", \"units\": 16, \"activation\": \"relu\"}, {\"type\": \"output\"}]");

    @TempDir
    Path work;

    @Test
    void aRunKilledThreeTimesAndResumedEndsAsTheUninterruptedRunWithNoAcknowledgedPointLost() throws Exception {
        CrashSoak.Report report = CrashSoak.run(new CrashSoak.Settings(Path.of(SPEC), TINY, 3, 7, work, System.err));
        assertThat(report.kills()).as("every kill landed while it trained").isEqualTo(3);
        assertThat(report.cycles()).extracting(CrashSoak.Cycle::pointsKept).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(report.lost()).as("acknowledged points lost").isZero();
        assertThat(report.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(report.missing()).as("points of the uninterrupted run missing").isZero();
        assertThat(report.differing()).as("points with another value than the uninterrupted run's").isZero();
        assertThat(report.soakParameters()).as("final parameters").isEqualTo(report.referenceParameters());
        assertThat(report.checkpointsEqual()).as("last checkpoint: parameters and optimizer state").isTrue();
    }

    /** The run sends its points to the server; the server dies mid-run; the run takes the database over. */
    @Test
    void aServeKilledMidIngestLosesNoPointAndTheRunFinishesIntoTheDatabase() throws Exception {
        Path home = work.resolve("served");
        List<String> run = new ArrayList<>(List.of("run", SPEC, "--home", home.toString()));
        TINY.stream().map(s -> s.startsWith("train.epochs=") ? "train.epochs=3" : s)
                .forEach(s -> run.addAll(List.of("--set", s)));
        try (WorkbenchProcess serve = WorkbenchProcess.start(List.of("serve", "--home", home.toString(), "--port", "0"))) {
            assertThat(serve.awaitLine(l -> l.startsWith("Press Ctrl-C"), Duration.ofMinutes(3)))
                    .as("serve started; it said %s", serve.stderr()).isNotNull();
            assertThat(dev.cnnworkbench.cluster.HubFile.read(home)).as("serve is the home's hub").isNotNull();
            try (WorkbenchProcess training = WorkbenchProcess.start(run)) {
                assertThat(training.awaitLine(l -> l.contains("sending the runs of this process to it"),
                        Duration.ofMinutes(3))).as("%s", training.stderr()).isNotNull();
                assertThat(training.awaitLine(l -> l.startsWith("epoch 1/3:"), Duration.ofMinutes(3)))
                        .as("%s", training.stderr()).isNotNull();
                assertThat(serve.kill()).isEqualTo(137);
                assertThat(training.waitFor(Duration.ofMinutes(5))).as("%s", training.stderr()).isZero();
            }
        }
        try (Database db = Database.openEmbedded(home)) {
            RunQueries queries = new RunQueries(db);
            RunSummary summary = queries.listRuns().get(0);
            assertThat(summary.status()).isEqualTo(RunStatus.FINISHED);
            assertThat(queries.history(summary.id(), "train_loss")).extracting(MetricPoint::step)
                    .containsExactlyElementsOf(LongStream.range(0, 24).boxed().toList());
            assertThat(queries.history(summary.id(), "val_accuracy")).extracting(MetricPoint::epoch)
                    .containsExactly(0, 1, 2);
            assertThat(queries.history(summary.id(), "test_accuracy")).hasSize(1);
        }
    }
}
