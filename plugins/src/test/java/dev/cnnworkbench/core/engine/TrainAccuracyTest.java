package dev.cnnworkbench.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.experiment.Experiment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** {@code train_accuracy}: each fitted mini-batch scored by the network as it was before that fit's update. */
class TrainAccuracyTest {

    /**
     * Computed apart: the arg-max of the network's own output on the batch (no dropout in the tiny spec, so inference
     * gives the training pass's scores), taken before {@code fit}, against the arg-max of the labels.
     */
    @Test
    void eachBatchsAccuracyIsTheArgMaxOfTheNetworksOutputBeforeItsUpdateAgainstTheLabels() {
        Experiment experiment = TinySpecs.tiny();
        DataSplit split = TinySpecs.split(experiment);
        ComputationGraph net = NetworkFactory.build(experiment, 6, split.train().classes());
        TrainAccuracyListener accuracy = TrainAccuracyListener.of(net);
        assertThat(TrainAccuracyListener.of(net)).as("one per network").isSameAs(accuracy);
        int correctInAll = 0;
        Set<Double> seen = new HashSet<>();
        for (int b = 0; b < 6; b++) {
            DataSet ds = Batches.toDataSet(Batches.gather(split.train(), null, b * 50, b * 50 + 50));
            float[] out = net.outputSingle(false, ds.getFeatures()).dup('c').data().asFloat();
            float[] labels = ds.getLabels().dup('c').data().asFloat();
            int correct = 0;
            for (int i = 0; i < 50; i++) {
                if (argMax(out, i * 10) == argMax(labels, i * 10)) {
                    correct++;
                }
            }
            net.fit(ds);
            assertThat(accuracy.batchAccuracy()).as("batch %d", b).isEqualTo(correct / 50.0);
            correctInAll += correct;
            seen.add(correct / 50.0);
        }
        assertThat(seen).as("the network learns as it goes").hasSizeGreaterThan(1);
        assertThat(accuracy.takeEpochAccuracy()).isEqualTo(correctInAll / 300.0);
        assertThat(accuracy.takeEpochAccuracy()).as("counting anew").isNaN();
    }

    @Test
    void everyIterationOfARunRecordsAMeasuredTrainingAccuracy() {
        List<MetricPoint> points = new ArrayList<>();
        Experiment experiment = TinySpecs.tiny("train.epochs=1");
        new Trainer(experiment, points::addAll, TrainingProgress.NONE).train(TinySpecs.split(experiment));
        List<Double> accuracies = points.stream().filter(p -> p.name().equals("train_accuracy"))
                .map(MetricPoint::value).toList();
        assertThat(accuracies).hasSize(6).allSatisfy(a -> assertThat(a * 50).as("a count of 50 images")
                .isBetween(0.0, 50.0).isEqualTo(Math.rint(a * 50)));
        double gap = points.stream().filter(p -> p.name().equals("train_val_gap")).findFirst().orElseThrow().value();
        double val = points.stream().filter(p -> p.name().equals("val_accuracy")).findFirst().orElseThrow().value();
        assertThat(gap + val).as("train_val_gap reads the same measurements: the epoch's mean of equal batches")
                .isCloseTo(accuracies.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                        org.assertj.core.api.Assertions.within(1e-12));
    }

    private static int argMax(float[] values, int offset) {
        int best = 0;
        for (int c = 1; c < 10; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }
}
