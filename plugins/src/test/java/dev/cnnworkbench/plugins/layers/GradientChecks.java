package dev.cnnworkbench.plugins.layers;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Numerical against analytic gradients of a whole network's loss, in double precision, by DL4J's
 * {@link GradientCheckUtil}: central differences with step 1e-6, relative error
 * {@code |analytic - numeric| / (|analytic| + |numeric|)} at most 1e-3 unless the absolute error is below 1e-8.
 * Its log line "Largest relative error = ..." reports each check.
 */
final class GradientChecks {

    static final double EPS = 1e-6;
    static final double MAX_REL_ERROR = 1e-3;
    static final double MIN_ABS_ERROR = 1e-8;

    private GradientChecks() {
    }

    /** Runs DL4J's check (which logs the largest relative error) and fails the test when it fails. */
    static void assertGradientsMatch(String what, ComputationGraph net, INDArray input, INDArray labels) {
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net).inputs(new INDArray[] {input}).labels(new INDArray[] {labels})
                .epsilon(EPS).maxRelError(MAX_REL_ERROR).minAbsoluteError(MIN_ABS_ERROR)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertThat(ok).as("DL4J gradient check of %s (failures are logged above)", what).isTrue();
    }
}
