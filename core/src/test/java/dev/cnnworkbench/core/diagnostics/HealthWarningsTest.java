package dev.cnnworkbench.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cnnworkbench.core.diagnostics.TinyRuns.Recorded;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

/**
 * Each training-health warning, triggered by a deliberately broken tiny run (a few hundred Fashion-MNIST images, the
 * real trainer, statistics every iteration), and none on a healthy one.
 */
class HealthWarningsTest {

    private static List<String> about(Recorded r, String kind) {
        return r.warnings.stream().filter(w -> w.kind().equals(kind)).map(Recorded.Warning::message).toList();
    }

    @Test
    void aHealthyRunWarnsOfNothing() {
        Recorded r = TinyRuns.healthy().run(null);
        assertThat(r.warnings).isEmpty();
    }

    @Test
    void aFarTooHighLearningRateWarnsOfTheUpdateRatioAtOnceAndOfTheReLUsItKills() {
        Recorded r = TinyRuns.healthy().sgd(5).run(null);
        assertThat(about(r, Warnings.UPDATE_RATIO)).isNotEmpty()
                .allSatisfy(m -> assertThat(m).contains("too high").contains("expected about 1.00e-03"))
                .anySatisfy(m -> assertThat(m).startsWith("layer dense1:").contains("at iteration 0"));
        assertThat(about(r, Warnings.DEAD_RELU)).isNotEmpty();
        assertThat(r.kinds()).doesNotContain(Warnings.INITIAL_LOSS);
    }

    @Test
    void aFarTooLowLearningRateWarnsThatEveryLayerBarelyMoves() {
        Recorded r = TinyRuns.healthy().sgd(1e-7).run(null);
        assertThat(r.kinds()).containsOnly(Warnings.UPDATE_RATIO);
        assertThat(about(r, Warnings.UPDATE_RATIO)).hasSize(3)
                .allSatisfy(m -> assertThat(m).contains("barely moves").contains("too low").contains("warns below"))
                .anySatisfy(m -> assertThat(m).startsWith("layer conv1:"))
                .anySatisfy(m -> assertThat(m).startsWith("layer output1:"));
    }

    @Test
    void hugeInitialWeightsWarnOfTheInitialLossAndExplodingGradients() {
        Recorded r = new TinyRuns().conv(8, Activation.RELU).dense(32, Activation.RELU, 10.0, 0).output(10.0)
                .sgd(0.01).run(null);
        assertThat(about(r, Warnings.INITIAL_LOSS)).singleElement().asString()
                .contains("far from ln(10) = 2.303").contains("too large");
        assertThat(about(r, Warnings.EXPLODING_GRADIENT)).isNotEmpty()
                .allSatisfy(m -> assertThat(m).contains("explode"));
    }

    @Test
    void aStronglyNegativeBiasKillsTheReLUsOfThatLayerOnly() {
        Recorded r = new TinyRuns().conv(8, Activation.RELU).dense(32, Activation.RELU, null, -10).output(null)
                .run(null);
        assertThat(r.kinds()).containsExactly(Warnings.DEAD_RELU);
        assertThat(about(r, Warnings.DEAD_RELU)).singleElement().asString()
                .startsWith("layer dense1: 100% of its ReLU units output 0").contains("expected well under 50%");
    }

    @Test
    void largeWeightsSaturateATanhLayer() {
        Recorded r = new TinyRuns().conv(8, Activation.RELU).dense(32, Activation.TANH, 1.0, 0).output(null).run(null);
        assertThat(about(r, Warnings.SATURATED_ACTIVATION)).singleElement().asString()
                .startsWith("layer dense1:").contains("tanh outputs are saturated");
        assertThat(r.kinds()).doesNotContain(Warnings.DEAD_RELU, Warnings.VANISHING_GRADIENT);
    }

    @Test
    void aDeepSigmoidNetworkWithTinyInitialWeightsHasVanishingGradients() {
        TinyRuns run = new TinyRuns().init("small-gaussian").sgd(0.1);
        for (int i = 0; i < 4; i++) {
            run.dense(64, Activation.SIGMOID, null, 0);
        }
        Recorded r = run.output(null).run(null);
        assertThat(about(r, Warnings.VANISHING_GRADIENT)).singleElement().asString()
                .startsWith("gradients vanish toward the input").contains("first layer dense1")
                .contains("last layer output1");
        assertThat(r.kinds()).doesNotContain(Warnings.EXPLODING_GRADIENT, Warnings.INITIAL_LOSS);
    }

    @Test
    void withEveryZeroThePerLayerRulesAreOffButTheInitialLossIsStillChecked() {
        Recorded r = new TinyRuns().conv(8, Activation.RELU).dense(32, Activation.RELU, 10.0, 0).output(10.0)
                .sgd(0.01).diagnostics(0, false).run(null);
        assertThat(r.kinds()).containsExactly(Warnings.INITIAL_LOSS);
    }
}
