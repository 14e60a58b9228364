package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.env.Host;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunWriter;
import dev.cnnworkbench.storage.RunSummary;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end, as a person runs it: the LeNet spec trains on real Fashion-MNIST
 * images (a small subset), metrics travel over the event bus into a real H2 database, and the run
 * reads back through the query API and the CLI.
 */
class TrainingRunIT {

    private static final String LENET = "../experiments/lenet5-fashion.json";

    @TempDir
    Path home;

    @Test
    void trainsLenetThroughTheBusIntoH2AndListsIt() {
        var run = InProcessCli.run("run", LENET, "--home", home.toString(), "--set", "train.epochs=1",
                "--set", "data.limit=512", "--set", "train.validation=200", "--set", "data.test_limit=500",
                "--set", "name=\"it-lenet\"");
        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("FINISHED").contains("test_accuracy");
        assertThat(run.err().split("loading fashion-mnist", -1)).as("the data is read once, by the checks before the"
                + " run is recorded: %s", run.err()).hasSize(2);

        try (Database db = Database.openEmbedded(home)) {
            RunQueries queries = new RunQueries(db);
            RunSummary summary = queries.listRuns().get(0);
            assertThat(summary.name()).isEqualTo("it-lenet");
            assertThat(summary.status()).isEqualTo(RunStatus.FINISHED);
            assertThat(summary.params()).containsEntry("optimizer.type", "adam").containsEntry("data.limit", 512L);
            assertThat(summary.metrics()).containsKeys("train_loss", "train_accuracy", "val_loss", "val_accuracy",
                    "lr", "test_loss", "test_accuracy", "examples_per_second");
            assertThat(summary.metrics().get("test_accuracy")).isGreaterThan(0.3);

            List<MetricPoint> loss = queries.history(summary.id(), "train_loss");
            assertThat(loss).hasSize(8);
            double first = loss.get(0).value();
            double lastMean = loss.subList(5, 8).stream().mapToDouble(MetricPoint::value).average().orElseThrow();
            assertThat(first).isBetween(2.0, 2.6);
            assertThat(lastMean).isLessThan(first);
            assertThat(queries.specAndProvenance(summary.id()).get("provenance"))
                    .contains("nd4j.backend").contains("\"seed\":\"42\"");
            // what the run printed is kept with it, as an indexed artifact: progress, epoch results, the end
            Path log = home.resolve("artifacts").resolve(summary.id()).resolve("console.log");
            assertThat(log).content().contains("run " + summary.id() + " (it-lenet)", "epoch 1/1: 8 batches",
                    "epoch 1/1 batch 8/8", "epoch 1 done:", "val_accuracy", "FINISHED");
            assertThat(queries.artifacts(summary.id())).anySatisfy(a -> {
                assertThat(a.name()).isEqualTo("console.log");
                assertThat(a.kind()).isEqualTo("log");
            });
        }

        var listed = InProcessCli.run("runs", "--format", "json", "--home", home.toString());
        assertThat(listed.exitCode()).isZero();
        JsonObject json = new JsonArray(listed.out()).getJsonObject(0);
        assertThat(json.getString("status")).isEqualTo("FINISHED");
        assertThat(json.getString("startedAt")).isNotBlank();
        assertThat(json.getJsonObject("params").getString("model.layers[0].type")).isEqualTo("conv2d");
        assertThat(json.getJsonObject("metrics").getDouble("test_accuracy")).isGreaterThan(0.3);

        var csv = InProcessCli.run("runs", "--format", "csv", "--home", home.toString());
        assertThat(csv.out().lines().findFirst().orElseThrow()).startsWith("id,name,experiment,status");

        String id = json.getString("id");
        assertThat(RunArtifacts.model(RunArtifacts.dir(home, id))).as("the final network is kept").isRegularFile();
        var kept = InProcessCli.run("runs", "--format", "json", "--home", home.toString(),
                "--filter", "metrics.test_accuracy > 0.3 and params.optimizer.type = 'adam'");
        assertThat(new JsonArray(kept.out()).size()).isEqualTo(1);
        var none = InProcessCli.run("runs", "--format", "json", "--home", home.toString(), "--filter", "metrics.test_accuracy > 1");
        assertThat(new JsonArray(none.out()).size()).isZero();
        var malformed = InProcessCli.run("runs", "--home", home.toString(), "--filter", "metrics.test_accuracy >> 1");
        assertThat(malformed.exitCode()).isEqualTo(2);

        var exported = InProcessCli.run("export", "--home", home.toString(), "--metrics", "train_loss,test_accuracy");
        assertThat(exported.out().lines()).first().isEqualTo("run_id,run_name,metric,step,epoch,time,value");
        assertThat(exported.out().lines().filter(l -> l.contains(",train_loss,"))).as("512 images, batch 64").hasSize(8);
        assertThat(exported.out().lines().filter(l -> l.contains(",test_accuracy,"))).hasSize(1);
    }

    @Test
    void snapshotEnsembleIsCollectedWhileTraining() {
        var run = InProcessCli.run("run", "../experiments/snapshot-ensemble.json", "--home", home.toString(),
                "--set", "train.epochs=1", "--set", "data.limit=600", "--set", "train.validation=100",
                "--set", "data.test_limit=300", "--set", "schedule.cycles=3", "--set", "ensemble.cycles=3");
        assertThat(run.exitCode()).as(run.out()).isZero();
        try (Database db = Database.openEmbedded(home)) {
            RunQueries queries = new RunQueries(db);
            RunSummary summary = queries.listRuns().get(0);
            assertThat(summary.metrics()).containsEntry("ensemble_members", 3.0)
                    .containsKeys("ensemble_test_accuracy", "ensemble_gain", "ensemble_mcnemar_p");
            assertThat(summary.metrics().get("ensemble_best_member_accuracy"))
                    .isGreaterThanOrEqualTo(summary.metrics().get("test_accuracy"));
            assertThat(queries.history(summary.id(), "ensemble_accuracy_by_members"))
                    .as("member accuracies are no training series").isEmpty();
            dev.cnnworkbench.storage.EnsembleStore ensembles = new dev.cnnworkbench.storage.EnsembleStore(db);
            var record = ensembles.ensemble(summary.id()).orElseThrow();
            assertThat(record.kind()).isEqualTo("snapshot");
            assertThat(record.sourceRunId()).isEqualTo(summary.id());
            assertThat(ensembles.results(record.id())).extracting(r -> r.members()).containsExactly(1, 2, 3);
            assertThat(ensembles.members(record.id())).extracting(m -> m.artifact()).containsExactly(
                    summary.id() + "/snapshot-03.zip", summary.id() + "/snapshot-02.zip", summary.id() + "/snapshot-01.zip");
            assertThat(ensembles.members(record.id())).allSatisfy(m -> assertThat(m.sha256()).hasSize(64));
            assertThat(RunArtifacts.snapshots(RunArtifacts.dir(home, summary.id()))).hasSize(3);
        }
    }

    @Test
    void badSpecExitsWithCodeTwoBeforeAnyRunIsRecorded() {
        var bad = InProcessCli.run("run", LENET, "--home", home.toString(), "--set", "model.layers[2].kernel=0");
        assertThat(bad.exitCode()).isEqualTo(2);
        try (Database db = Database.openEmbedded(home)) {
            assertThat(new RunQueries(db).listRuns()).isEmpty();
        }
    }

    @Test
    void aSpecMistakeFoundInTheDataIsRefusedBeforeTheRunIsRecorded() {
        // A validation hold-out as large as the data is known before training: no FAILED run is left behind.
        var bad = InProcessCli.run("run", LENET, "--home", home.toString(), "--set", "train.validation=60000");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("train.validation: holds out 60000 of only 60000");
        try (Database db = Database.openEmbedded(home)) {
            assertThat(new RunQueries(db).listRuns()).isEmpty();
        }
    }

    @Test
    void runWhoseProcessIsGoneIsListedInterrupted() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        try (Database db = Database.openEmbedded(home)) {
            new RunWriter(db).insertRun(new RunStarted("deadbeef0001", "crashed", "crashed", "{}", Map.of("train.epochs", 1),
                    Map.of(), System.currentTimeMillis(), gone.pid(), Host.name(), "tester"));
        }
        var listed = InProcessCli.run("runs", "--format", "json", "--home", home.toString());
        JsonObject run = new JsonArray(listed.out()).getJsonObject(0);
        assertThat(run.getString("id")).isEqualTo("deadbeef0001");
        assertThat(run.getString("status")).isEqualTo("INTERRUPTED");
        assertThat(run.getString("error")).contains("ended without recording an end");
    }
}
