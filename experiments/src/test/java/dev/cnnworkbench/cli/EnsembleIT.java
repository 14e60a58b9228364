package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.RunEnded;
import dev.cnnworkbench.core.bus.RunStarted;
import dev.cnnworkbench.core.bus.RunStatus;
import dev.cnnworkbench.core.data.Datasets;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import dev.cnnworkbench.core.spec.DataSpec;
import dev.cnnworkbench.storage.Database;
import dev.cnnworkbench.storage.EnsembleStore;
import dev.cnnworkbench.storage.RunQueries;
import dev.cnnworkbench.storage.RunSummary;
import dev.cnnworkbench.storage.RunWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@code workbench ensemble} over saved networks: two small networks, briefly trained on Fashion-MNIST and saved
 * where a run's artifacts live, are scored on their runs' test set and the ensemble is recorded as a run.
 */
class EnsembleIT {

    @TempDir
    static Path home;

    private static ImageSet train;

    @BeforeAll
    static void data() {
        train = Datasets.load(new DataSpec("fashion-mnist", DataSpec.DEFAULT_PATH, 0, 0)).train();
    }

    /** A dense network trained for 30 mini-batches of 32 from {@code offset}, saved to {@code file}. */
    private static void trainAndSave(long seed, int offset, Path file) throws Exception {
        var conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT).updater(new Adam(1e-3))
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(28, 28, 1))
                .addLayer("hidden", new DenseLayer.Builder().nOut(32).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        for (int b = 0; b < 30; b++) {
            int from = offset + b * 32;
            float[] x = Arrays.copyOfRange(train.pixels(), from * 784, (from + 32) * 784);
            float[] y = new float[32 * 10];
            for (int i = 0; i < 32; i++) {
                y[i * 10 + train.labels()[from + i]] = 1;
            }
            net.fit(new DataSet(Nd4j.create(x, new long[] {32, 1, 28, 28}, 'c'), Nd4j.create(y, new long[] {32, 10}, 'c')));
        }
        Files.createDirectories(file.getParent());
        net.save(file.toFile(), false);
    }

    private static void recordRun(String id) throws Exception {
        String spec = """
                {"name": "%s", "experiment": "it-ensemble",
                 "data": {"dataset": "fashion-mnist", "path": "%s", "limit": 0, "test_limit": 300},
                 "model": {"input": [1, 28, 28], "layers": [{"type": "output"}]},
                 "optimizer": {"type": "adam"}, "train": {"epochs": 1, "batch": 32, "seed": 1, "validation": 0}}
                """.formatted(id, DataSpec.DEFAULT_PATH);
        try (Database db = Database.openEmbedded(home)) {
            RunWriter w = new RunWriter(db);
            w.insertRun(new RunStarted(id, id, "it-ensemble", spec, Map.of(), Map.of(), 1L,
                    ProcessHandle.current().pid(), dev.cnnworkbench.core.env.Host.name(), "tester"));
            w.endRun(new RunEnded(id, RunStatus.FINISHED, null, 2L));
        }
    }

    @Test
    void scoresAnIndependentEnsembleAndRecordsItAsARun() throws Exception {
        for (int m = 1; m <= 2; m++) {
            String id = "member00000" + m;
            trainAndSave(m, m * 2000, RunArtifacts.model(RunArtifacts.dir(home, id)));
            recordRun(id);
        }
        InProcessCli.Result r = InProcessCli.run("ensemble", "member000001", "member000002", "--home", home.toString(),
                "--name", "two-members");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("member000001").contains("ensemble of 2").contains("accuracy by members: 1:")
                .contains("McNemar").contains("recorded as run");
        try (Database db = Database.openEmbedded(home)) {
            RunQueries q = new RunQueries(db);
            RunSummary ensemble = q.listRuns().stream().filter(s -> s.name().equals("two-members")).findFirst()
                    .orElseThrow();
            assertThat(ensemble.experiment()).isEqualTo("it-ensemble");
            assertThat(ensemble.status()).isEqualTo(RunStatus.FINISHED);
            // the run lasts as long as loading and scoring its members took, not 0 s
            assertThat(java.time.Duration.between(ensemble.startedAt(), ensemble.endedAt()).toMillis()).isPositive();
            assertThat(ensemble.params()).containsEntry("ensemble.type", "independent").containsEntry("ensemble.size", 2L);
            assertThat(ensemble.metrics().get("ensemble_test_accuracy")).isGreaterThan(0.4);
            assertThat(ensemble.metrics()).containsKeys("ensemble_mcnemar_p", "ensemble_gain", "ensemble_test_loss");
            assertThat(q.history(ensemble.id(), "ensemble_accuracy_by_members")).as("no training series").isEmpty();
            assertThat(q.history(ensemble.id(), "member_test_accuracy")).isEmpty();
            EnsembleStore store = new EnsembleStore(db);
            EnsembleStore.Ensemble record = store.ensemble(ensemble.id()).orElseThrow();
            assertThat(record.kind()).isEqualTo("independent");
            assertThat(record.combination()).isEqualTo("mean-softmax");
            assertThat(record.test()).isEqualTo("mcnemar-exact");
            assertThat(record.accuracy()).isEqualTo(ensemble.metrics().get("ensemble_test_accuracy"));
            assertThat(store.members(record.id())).extracting(EnsembleStore.Member::runId)
                    .containsExactly("member000001", "member000002");
            assertThat(store.members(record.id())).allSatisfy(m -> assertThat(m.sha256()).hasSize(64));
            assertThat(store.results(record.id())).extracting(EnsembleStore.Result::members).containsExactly(1, 2);
            assertThat(q.find(dev.cnnworkbench.storage.RunQuery.filter("ensemble = '" + record.id() + "'", 10)).runs())
                    .extracting(RunSummary::id).containsExactlyInAnyOrder(ensemble.id(), "member000001", "member000002");
        }

        // The same networks as one run's snapshots.
        Path dir = RunArtifacts.dir(home, "member000001");
        Files.copy(RunArtifacts.model(dir), RunArtifacts.snapshot(dir, 1));
        Files.copy(RunArtifacts.model(RunArtifacts.dir(home, "member000002")), RunArtifacts.snapshot(dir, 2));
        InProcessCli.Result snap = InProcessCli.run("ensemble", "--snapshots", "member000001", "--home", home.toString(),
                "--no-record");
        assertThat(snap.exitCode()).as(snap.err()).isZero();
        List<String> lines = snap.out().lines().toList();
        assertThat(lines.get(1)).startsWith("member000001/snapshot-02.zip");
        assertThat(lines.get(2)).startsWith("member000001/snapshot-01.zip");
        assertThat(snap.out()).doesNotContain("recorded as run");
    }

    @Test
    void aRunWithoutASavedNetworkIsABadRequest() throws Exception {
        recordRun("nonetwork001");
        InProcessCli.Result r = InProcessCli.run("ensemble", "nonetwork001", "--home", home.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("run nonetwork001 has no saved network at");
        assertThat(InProcessCli.run("ensemble", "--home", home.toString()).exitCode()).isEqualTo(2);
    }
}
