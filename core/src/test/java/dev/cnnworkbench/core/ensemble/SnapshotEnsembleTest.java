package dev.cnnworkbench.core.ensemble;

import dev.cnnworkbench.core.artifact.NetworkFiles;
import dev.cnnworkbench.core.artifact.RunArtifacts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cnnworkbench.core.data.ImageSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Snapshots taken during a real (tiny) DL4J training run on a few hundred synthetic 8x8 images of three classes.
 */
class SnapshotEnsembleTest {

    @TempDir
    Path dir;

    @Test
    void snapshotPointsAreTheCycleEndsOfTheSnapshotSchedule() {
        assertThat(SnapshotEnsemble.snapshotIterations(100, 5)).containsExactly(20L, 40L, 60L, 80L, 100L);
        assertThat(SnapshotEnsemble.snapshotIterations(10, 4)).containsExactly(3L, 6L, 9L, 10L);
        assertThat(SnapshotEnsemble.snapshotIterations(10, 6)).as("ceil(10/6) = 2: five cycles fit")
                .containsExactly(2L, 4L, 6L, 8L, 10L);
        assertThat(SnapshotEnsemble.snapshotIterations(7, 1)).containsExactly(7L);
    }

    /** Images whose class is the bright 3x3 block's position (left, middle, right), with noise. */
    static ImageSet images(int n, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
            for (int p = 0; p < 64; p++) {
                px[i * 64 + p] = (float) (r.nextDouble() * 0.6);
            }
            int x0 = 1 + labels[i] * 2;
            for (int y = 2; y < 5; y++) {
                for (int x = x0; x < x0 + 3; x++) {
                    px[i * 64 + y * 8 + x] += 0.5f;
                }
            }
        }
        return new ImageSet(px, labels, 1, 8, 8, 3);
    }

    static ComputationGraph tinyNet() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new Sgd(0.05)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("hidden", new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    private static DataSet batch(ImageSet set, int from, int to) {
        float[] x = java.util.Arrays.copyOfRange(set.pixels(), from * 64, to * 64);
        float[] y = new float[(to - from) * 3];
        for (int i = from; i < to; i++) {
            y[(i - from) * 3 + set.labels()[i]] = 1;
        }
        return new DataSet(Nd4j.create(x, new long[] {to - from, 1, 8, 8}, 'c'), Nd4j.create(y, new long[] {to - from, 3}, 'c'));
    }

    @Test
    void takesASnapshotAtEachCycleEndAndScoresTheEnsemblesOfTheLastSnapshots() throws Exception {
        ImageSet train = images(300, 1);
        ImageSet test = images(200, 2);
        ComputationGraph net = tinyNet();
        int total = 60;
        SnapshotEnsemble ensemble = new SnapshotEnsemble(4, total, test, dir);
        for (long it = 0; it < total; it++) {
            int from = (int) (it % 10) * 30;
            net.fit(batch(train, from, from + 30));
            if (ensemble.isSnapshotPoint(it + 1)) {
                ensemble.take(net, it + 1);
            }
        }
        assertThat(ensemble.snapshots()).extracting(SnapshotEnsemble.Snapshot::iteration)
                .containsExactly(15L, 30L, 45L, 60L);
        assertThat(RunArtifacts.snapshots(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("snapshot-01.zip", "snapshot-02.zip", "snapshot-03.zip", "snapshot-04.zip");

        EnsembleReport report = ensemble.finish(net, total);
        assertThat(ensemble.snapshots()).as("no extra snapshot at the planned end").hasSize(4);
        assertThat(report.members()).containsExactly("snapshot 4 (iteration 60)", "snapshot 3 (iteration 45)",
                "snapshot 2 (iteration 30)", "snapshot 1 (iteration 15)");
        assertThat(report.accuracyByMembers()).hasSize(4);
        assertThat(report.accuracyByMembers().get(0)).as("m = 1 is the final network")
                .isEqualTo(report.memberAccuracy().get(0));
        assertThat(report.memberAccuracy().get(0)).isGreaterThan(0.6);
        assertThat(report.images()).isEqualTo(200);

        // the probabilities kept are those of the saved network, and a probability row sums to 1
        ComputationGraph loaded = NetworkFiles.read(RunArtifacts.snapshot(dir, 4));
        float[][] again = SnapshotEnsemble.probabilities(loaded, test);
        float[][] kept = ensemble.snapshots().get(3).probabilities();
        assertThat(again[17][2]).isCloseTo(kept[17][2], within(1e-6f));
        assertThat(kept[5][0] + kept[5][1] + kept[5][2]).isCloseTo(1f, within(1e-5f));
    }

    @Test
    void anEarlyStopStillEndsWithTheFinalNetworkAsAMember() throws Exception {
        ImageSet train = images(60, 3);
        ImageSet test = images(50, 4);
        ComputationGraph net = tinyNet();
        SnapshotEnsemble ensemble = new SnapshotEnsemble(3, 30, test, null);
        for (long it = 0; it < 14; it++) {
            net.fit(batch(train, 0, 60));
            if (ensemble.isSnapshotPoint(it + 1)) {
                ensemble.take(net, it + 1);
            }
        }
        EnsembleReport report = ensemble.finish(net, 14);
        assertThat(ensemble.snapshots()).extracting(SnapshotEnsemble.Snapshot::iteration).containsExactly(10L, 14L);
        assertThat(ensemble.snapshots()).allSatisfy(s -> assertThat(s.file()).isNull());
        assertThat(report.members()).hasSize(2);
        assertThat(Files.exists(dir.resolve("snapshot-01.zip"))).isFalse();
        assertThat(SnapshotEnsemble.hasSoftmaxOutput(net)).isTrue();
        assertThat(List.of(report.accuracy())).allSatisfy(a -> assertThat(a).isBetween(0.0, 1.0));
    }
}
