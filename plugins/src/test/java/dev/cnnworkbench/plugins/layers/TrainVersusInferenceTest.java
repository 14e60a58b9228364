package dev.cnnworkbench.plugins.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cnnworkbench.core.engine.PluginGraphs;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** Dropout and batch norm behave differently in training and at inference, as the lecture notes warn. */
class TrainVersusInferenceTest {

    private static INDArray input(int n) {
        Nd4j.getRandom().setSeed(11);
        return Nd4j.rand(DataType.DOUBLE, n, 2, 6, 6).muli(3).addi(1);
    }

    private static INDArray activation(ComputationGraph net, INDArray input, boolean train, String vertex) {
        return net.feedForward(input, train).get(vertex);
    }

    @Test
    void dropoutZeroesAndRescalesInTrainingAndIsTheIdentityAtInference() {
        ComputationGraph net = PluginGraphs.of().layer(new DropoutLayer(), Map.of("drop", 0.25))
                .layer(new OutputLayer(), Map.of()).build();
        INDArray x = input(20);
        assertThat(activation(net, x, false, "dropout1")).isEqualTo(x);

        INDArray trained = activation(net, x, true, "dropout1");
        long zeros = 0;
        for (long i = 0; i < x.length(); i++) {
            double out = trained.getDouble(i);
            if (out == 0) {
                zeros++;
            } else {
                assertThat(out).isCloseTo(x.getDouble(i) / 0.75, within(1e-9));
            }
        }
        assertThat(zeros / (double) x.length()).isCloseTo(0.25, within(0.05));
    }

    @Test
    void batchnormUsesBatchStatisticsInTrainingAndRunningAveragesAtInference() {
        ComputationGraph net = PluginGraphs.of().updater(new Sgd(0.0))
                .layer(new BatchNormLayer(), Map.of("decay", 0.9, "eps", 1e-5))
                .layer(new OutputLayer(), Map.of()).build();
        INDArray x = input(8);
        INDArray batchMean = x.mean(0, 2, 3);
        INDArray batchVar = x.var(false, 0, 2, 3);

        // Training: each channel normalised by this batch's mean and variance.
        INDArray train = activation(net, x, true, "bn1");
        assertThat(train.mean(0, 2, 3).toDoubleVector()).containsExactly(new double[] {0, 0}, within(1e-9));
        assertThat(train.var(false, 0, 2, 3).toDoubleVector()).containsExactly(new double[] {1, 1}, within(1e-3));
        // Inference before any training: the running averages start at mean 0, variance 1.
        assertThat(activation(net, x, false, "bn1").sub(x.div(Math.sqrt(1 + 1e-5))).amaxNumber().doubleValue())
                .isLessThan(1e-9);

        // One training step moves the running averages by (1 - decay) towards the batch's.
        net.fit(new DataSet(x, Nd4j.zeros(DataType.DOUBLE, 8, 3).putScalar(0, 0, 1.0)));
        INDArray runningMean = net.getParam("bn1_mean").reshape(2);
        assertThat(runningMean.toDoubleVector())
                .containsExactly(batchMean.mul(0.1).toDoubleVector(), within(1e-9));
        INDArray runningVar = Nd4j.createFromArray(
                0.9 + 0.1 * batchVar.getDouble(0), 0.9 + 0.1 * batchVar.getDouble(1));
        // DL4J stores the running variance as log10 of the standard deviation.
        double[] log10std = net.getParam("bn1_log10stdev").reshape(2).toDoubleVector();
        assertThat(new double[] {Math.pow(10, 2 * log10std[0]), Math.pow(10, 2 * log10std[1])})
                .containsExactly(runningVar.toDoubleVector(), within(1e-9));

        INDArray inference = activation(net, x, false, "bn1");
        for (int c = 0; c < 2; c++) {
            INDArray expected = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c)).sub(runningMean.getDouble(c))
                    .div(Math.sqrt(runningVar.getDouble(c) + 1e-5));
            INDArray actual = inference.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(c));
            assertThat(actual.sub(expected).amaxNumber().doubleValue()).as("channel %d", c).isLessThan(1e-3);
        }
        // And it is not what training mode gives for the same input.
        assertThat(inference.sub(activation(net, x, true, "bn1")).amaxNumber().doubleValue()).isGreaterThan(0.1);
    }

    @Test
    void layernormNormalisesEachExampleAndIsTheSameInTrainingAndAtInference() {
        ComputationGraph net = PluginGraphs.of().layer(new LayerNormLayer(), Map.of())
                .layer(new OutputLayer(), Map.of()).build();
        INDArray x = input(4);
        INDArray train = activation(net, x, true, "ln1");
        assertThat(train.mean(1, 2, 3).toDoubleVector()).containsExactly(new double[4], within(1e-9));
        assertThat(train.var(false, 1, 2, 3).toDoubleVector())
                .containsExactly(new double[] {1, 1, 1, 1}, within(1e-3));
        assertThat(activation(net, x, false, "ln1")).isEqualTo(train);
        // Per example: the first example alone normalises the same way.
        INDArray first = activation(net, x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1)), false, "ln1");
        assertThat(first.sub(train.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1))).amaxNumber()
                .doubleValue()).isLessThan(1e-9);
    }
}
