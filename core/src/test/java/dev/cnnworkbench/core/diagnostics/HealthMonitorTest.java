package dev.cnnworkbench.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.diagnostics.TinyRuns.Recorded;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The warning rules on made-up samples: streaks, once per kind and layer, the exceptions. */
class HealthMonitorTest {

    private static final WatchedLayer CONV = new WatchedLayer("conv1", null, "W", ActivationKind.RELU, false);
    private static final WatchedLayer OUT = new WatchedLayer("output1", null, "W", ActivationKind.OTHER, true);

    private final Recorded sink = new Recorded();
    private double lr = 0.1;
    private final HealthMonitor monitor = new HealthMonitor(new Warnings(sink), (it, ep) -> lr, 0.1);

    /** A weighted ReLU layer with ||W|| = 1: the update norm is the ratio, the gradient norm the relative gradient. */
    private static LayerSample conv(double grad, double update, double dead) {
        return new LayerSample(CONV, grad, 1, update, 0.1, 0.2, 0.5, dead, Double.NaN);
    }

    private static LayerSample out(double grad) {
        return new LayerSample(OUT, grad, 1, 1e-3, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }

    private void check(long step, LayerSample... samples) {
        monitor.check(step, 0, List.of(samples));
    }

    @Test
    void aConditionMustHoldForThreeSamplesInARowAndWarnsOnce() {
        check(0, conv(1, 0.2, 0), out(1));
        check(50, conv(1, 0.2, 0), out(1));
        assertThat(sink.warnings).isEmpty();
        check(100, conv(1, 1e-3, 0), out(1));
        check(150, conv(1, 0.2, 0), out(1));
        check(200, conv(1, 0.2, 0), out(1));
        assertThat(sink.warnings).isEmpty();
        check(250, conv(1, 0.3, 0), out(1));
        assertThat(sink.warnings).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(Warnings.UPDATE_RATIO);
            assertThat(w.step()).isEqualTo(250);
            assertThat(w.message()).contains("layer conv1", "0.300", "iterations 150 to 250", "too high");
        });
        check(300, conv(1, 0.3, 0), out(1));
        check(350, conv(1, 1e-7, 0), out(1));
        check(400, conv(1, 1e-7, 0), out(1));
        check(450, conv(1, 1e-7, 0), out(1));
        assertThat(sink.warnings).as("once per kind and layer").hasSize(1);
    }

    @Test
    void anUpdateAsLargeAsTheWeightsWarnsAtOnce() {
        check(0, conv(1, 1.5, 0), out(1));
        assertThat(sink.kinds()).containsExactly(Warnings.UPDATE_RATIO);
        assertThat(sink.warnings.get(0).message()).contains("at iteration 0");
    }

    @Test
    void aLowRatioIsNotBlamedOnTheLearningRateWhileItIsAnnealedOrWhenNoGradientArrives() {
        lr = 0.001;
        for (int i = 0; i < 5; i++) {
            check(i, conv(1, 1e-7, 0), out(1));
        }
        lr = 0.1;
        for (int i = 5; i < 10; i++) {
            check(i, conv(0, 0, 0), out(1));
        }
        assertThat(sink.warnings).isEmpty();
        for (int i = 10; i < 13; i++) {
            check(i, conv(1, 1e-7, 0), out(1));
        }
        assertThat(sink.kinds()).containsExactly(Warnings.UPDATE_RATIO);
        assertThat(sink.warnings.get(0).message()).contains("too low", "iterations 10 to 12");
    }

    @Test
    void nonFiniteGradientsWarnAtOnce() {
        check(7, conv(Double.NaN, Double.NaN, 0), out(1));
        assertThat(sink.kinds()).containsExactly(Warnings.EXPLODING_GRADIENT);
        assertThat(sink.warnings.get(0).message()).contains("layer conv1", "NaN", "iteration 7");
    }

    @Test
    void theFirstLayersRelativeGradientIsComparedWithTheLastLayers() {
        for (int i = 0; i < 3; i++) {
            check(i, conv(1e-5, 1e-3, 0), out(1));
        }
        assertThat(sink.kinds()).containsExactly(Warnings.VANISHING_GRADIENT);
        for (int i = 3; i < 6; i++) {
            check(i, conv(500, 1e-3, 0), out(0.1));
        }
        assertThat(sink.kinds()).containsExactly(Warnings.VANISHING_GRADIENT, Warnings.EXPLODING_GRADIENT);
        assertThat(sink.warnings.get(1).message()).contains("explode toward the input", "first layer conv1", "5.00e+03");
    }

    @Test
    void aHugeGradientNormExplodesEvenWhenAllLayersGrowAlike() {
        for (int i = 0; i < 3; i++) {
            check(i, conv(2e4, 1e-3, 0), out(2e4));
        }
        assertThat(sink.kinds()).containsExactly(Warnings.EXPLODING_GRADIENT, Warnings.EXPLODING_GRADIENT);
        assertThat(sink.warnings).allSatisfy(w -> assertThat(w.message()).contains("2.00e+04", "warns above 1.00e+03"));
    }

    @Test
    void aZeroGradientIsDeadUnitsNotVanishing() {
        for (int i = 0; i < 3; i++) {
            check(i, conv(0, 0, 0.9), out(1));
        }
        assertThat(sink.kinds()).containsExactly(Warnings.DEAD_RELU);
        assertThat(sink.warnings.get(0).message()).contains("90% of its ReLU units");
    }

    @Test
    void theInitialLossIsComparedWithLnC() {
        Warnings warnings = new Warnings(sink);
        InitialLossCheck.check(2.35, 10, warnings);
        InitialLossCheck.check(3.4, 10, new Warnings(sink));
        assertThat(sink.warnings).isEmpty();
        InitialLossCheck.check(0.5, 10, new Warnings(sink));
        assertThat(sink.warnings.get(0).message()).contains("0.500", "ln(10) = 2.303", "[1.15, 3.45]", "leak");
        InitialLossCheck.check(Double.NaN, 2, new Warnings(sink));
        assertThat(sink.warnings.get(1).message()).contains("NaN", "ln(2) = 0.693");
        assertThat(sink.kinds()).containsOnly(Warnings.INITIAL_LOSS);
    }
}
