package dev.cnnworkbench.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cnnworkbench.core.bus.MetricPoint;
import dev.cnnworkbench.core.data.ImageSet;
import dev.cnnworkbench.core.diagnostics.TinyRuns.Recorded;
import dev.cnnworkbench.core.engine.NetworkFactory;
import dev.cnnworkbench.core.experiment.Experiment;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Per-layer statistics: checked against an independent computation, their names and steps, the off switch. */
class LayerStatsTest {

    private static DataSet batch(ImageSet set, int n) {
        float[] x = Arrays.copyOf(set.pixels(), n * set.imageSize());
        float[] y = new float[n * set.classes()];
        for (int i = 0; i < n; i++) {
            y[i * set.classes() + set.labels()[i]] = 1;
        }
        return new DataSet(Nd4j.create(x, new long[] {n, 1, 28, 28}, 'c'), Nd4j.create(y, new long[] {n, set.classes()}, 'c'));
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float f : v) {
            s += (double) f * f;
        }
        return Math.sqrt(s);
    }

    private static float[] values(INDArray a) {
        return a.dup('c').data().asFloat();
    }

    /**
     * Fits one mini-batch with the listener attached and compares what it measured with the parameters copied before
     * and after the step, the activations of an inference pass on the same batch (no dropout or batch norm, so the
     * same as the training pass) and, for SGD, lr times the mean gradient of a copy of the network.
     */
    private static void checkAgainstIndependentComputation(Experiment experiment, double sgdLr) {
        ComputationGraph net = NetworkFactory.build(experiment, 1, 10);
        LayerStatsListener listener = new LayerStatsListener(WatchedLayer.of(net), 1);
        net.addListeners(listener);
        DataSet ds = batch(TinyRuns.data().train(), 32);
        // one step first so that Adam's state is not fresh
        net.fit(ds);
        listener.take();

        // a separate network with the same parameters (clone() would share the listener list)
        ComputationGraph copy = new ComputationGraph(net.getConfiguration().clone());
        copy.init(net.params().dup(), false);
        copy.setInputs(ds.getFeatures());
        copy.setLabels(ds.getLabels());
        copy.computeGradientAndScore();
        Map<String, INDArray> acts = net.feedForward(ds.getFeatures(), false);
        Map<String, float[]> before = Map.of("conv1", values(net.getLayer("conv1").getParam("W")),
                "dense1", values(net.getLayer("dense1").getParam("W")),
                "output1", values(net.getLayer("output1").getParam("W")));
        net.fit(ds);
        List<LayerSample> samples = listener.take();

        assertThat(samples).extracting(LayerSample::name).containsExactly("conv1", "dense1", "output1");
        for (LayerSample s : samples) {
            float[] w0 = before.get(s.name());
            float[] w1 = values(net.getLayer(s.name()).getParam("W"));
            float[] delta = new float[w0.length];
            for (int i = 0; i < w0.length; i++) {
                delta[i] = w1[i] - w0[i];
            }
            double ratio = norm(delta) / norm(w0);
            assertThat(s.weightNorm()).as(s.name() + " weight norm").isCloseTo(norm(w0), within(1e-4 * norm(w0)));
            assertThat(s.updateRatio()).as(s.name() + " update ratio").isCloseTo(ratio, within(0.01 * ratio));
            double meanGrad = norm(values(copy.gradient().getGradientFor(s.name() + "_W"))) / 32;
            assertThat(s.gradNorm()).as(s.name() + " gradient norm").isCloseTo(meanGrad, within(1e-3 * meanGrad));
            if (sgdLr > 0) {
                assertThat(s.updateNorm()).as("SGD: the update is lr times the gradient")
                        .isCloseTo(sgdLr * s.gradNorm(), within(0.01 * sgdLr * s.gradNorm()));
            }
        }
        for (String layer : List.of("conv1", "dense1")) {
            float[] a = values(acts.get(layer));
            double mean = 0;
            int zeros = 0;
            for (float v : a) {
                mean += v;
                zeros += v == 0 ? 1 : 0;
            }
            mean /= a.length;
            double var = 0;
            for (float v : a) {
                var += (v - mean) * (v - mean);
            }
            double std = Math.sqrt(var / (a.length - 1));
            LayerSample s = samples.stream().filter(x -> x.name().equals(layer)).findFirst().orElseThrow();
            assertThat(s.actMean()).as(layer + " mean").isCloseTo(mean, within(1e-4 + 1e-4 * Math.abs(mean)));
            assertThat(s.actStd()).as(layer + " std").isCloseTo(std, within(1e-4 + 1e-4 * std));
            // the training pass may round a handful of near-zero pre-activations to the other side of 0
            assertThat(s.actZeroFrac()).as(layer + " zero fraction").isCloseTo((double) zeros / a.length, within(1e-3));
            assertThat(s.deadFrac()).isBetween(0.0, 1.0);
        }
        assertThat(samples.get(2).actMean()).as("the output layer's activations are not in DL4J's callback").isNaN();
    }

    @Test
    void adamUpdateRatiosNormsAndActivationStatisticsMatchAnIndependentComputation() {
        checkAgainstIndependentComputation(TinyRuns.healthy().adam(1e-3).experiment(), 0);
    }

    @Test
    void sgdUpdatesAreTheLearningRateTimesTheMeanGradient() {
        checkAgainstIndependentComputation(TinyRuns.healthy().sgd(0.05).experiment(), 0.05);
    }

    @Test
    void everyLayerMetricIsRecordedAtTheSampledIterations() {
        Recorded r = TinyRuns.healthy().diagnostics(3, false).run(null);
        for (String layer : List.of("conv1", "dense1", "output1")) {
            for (String m : List.of("update_ratio/", "grad_norm/", "weight_norm/")) {
                assertThat(r.named(m + layer)).as(m + layer).extracting(MetricPoint::step)
                        .containsExactly(0L, 3L, 6L, 9L, 12L, 15L);
            }
        }
        for (String layer : List.of("conv1", "dense1")) {
            for (String m : List.of("act_mean/", "act_std/", "act_zero_frac/", "act_dead_frac/")) {
                assertThat(r.named(m + layer)).as(m + layer).hasSize(6);
            }
        }
        assertThat(r.named("act_zero_frac/conv1")).allSatisfy(p -> assertThat(p.value()).isBetween(0.0, 1.0));
        assertThat(r.named("update_ratio/dense1")).allSatisfy(p -> assertThat(p.value()).isBetween(1e-4, 1e-1));
        assertThat(r.named("update_ratio/conv1").get(5).epoch()).isEqualTo(1);
        assertThat(r.names()).doesNotContain("act_mean/output1", "act_saturated_frac/dense1");
        assertThat(r.named("train_val_gap")).extracting(MetricPoint::step).containsExactly(7L, 15L);
        MetricPoint gap = r.named("train_val_gap").get(1);
        assertThat(gap.value()).isBetween(-1.0, 1.0);
        double val = r.named("val_accuracy").get(1).value();
        assertThat(gap.value() + val).as("the epoch's training accuracy").isBetween(0.0, 1.0);
    }

    @Test
    void everyZeroRecordsNoPerLayerMetric() {
        Recorded r = TinyRuns.healthy().diagnostics(0, false).run(null);
        assertThat(r.names()).filteredOn(n -> !n.startsWith("system/")).noneMatch(n -> n.contains("/"));
        assertThat(r.names()).contains("train_loss", "val_accuracy", "train_val_gap");
    }

    @Test
    void withoutAValidationSetThereIsNoGap() {
        Recorded r = TinyRuns.healthy().validation(0).epochs(1).diagnostics(0, false).run(null);
        assertThat(r.names()).doesNotContain("train_val_gap");
    }
}
