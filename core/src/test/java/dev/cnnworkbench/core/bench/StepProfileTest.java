package dev.cnnworkbench.core.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The step profile's phases, and its sampling of the calling thread. */
class StepProfileTest {

    private static final String CONV = "org.deeplearning4j.nn.layers.convolution.ConvolutionLayer";

    @Test
    void namesThePhaseOfDl4jAndWorkbenchFrames() {
        assertThat(StepProfile.phase(CONV, "activate")).isEqualTo("conv forward");
        assertThat(StepProfile.phase(CONV, "preOutput")).isEqualTo("conv forward");
        assertThat(StepProfile.phase(CONV, "backpropGradient")).isEqualTo("conv backward");
        assertThat(StepProfile.phase("org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer", "activate"))
                .isEqualTo("pooling forward");
        assertThat(StepProfile.phase("org.deeplearning4j.nn.updater.BaseMultiLayerUpdater", "update"))
                .isEqualTo("optimizer");
        assertThat(StepProfile.phase("dev.cnnworkbench.core.engine.Evaluator", "evaluate")).isEqualTo("evaluation");
        assertThat(StepProfile.phase("dev.cnnworkbench.core.engine.TrainAccuracyListener", "onForwardPass"))
                .isEqualTo("train accuracy");
        String bn = "org.deeplearning4j.nn.layers.normalization.BatchNormalization";
        assertThat(StepProfile.phase(bn, "activate")).isEqualTo("batch norm forward");
        assertThat(StepProfile.phase(bn, "backpropGradient")).isEqualTo("batch norm backward");
        assertThat(StepProfile.phase("org.deeplearning4j.nn.graph.vertex.impl.ElementWiseVertex", "doBackward"))
                .isEqualTo("residual add");
        assertThat(StepProfile.phase("org.deeplearning4j.nn.layers.ActivationLayer", "activate"))
                .isEqualTo("activation layers");
        assertThat(StepProfile.phase("org.deeplearning4j.nn.layers.pooling.GlobalPoolingLayer", "backpropGradient"))
                .isEqualTo("pooling backward");
        assertThat(StepProfile.phase("org.deeplearning4j.nn.graph.ComputationGraph", "fit")).isNull();
        assertThat(StepProfile.phase(CONV, "getParam")).isNull();
    }

    @Test
    void samplesTheCallingThreadAndSharesAddUpToOne() {
        // a sampler thread starved by a loaded machine (CI runs other JVMs beside this one) may take none of the 80
        // samples it aims at in one go: a few goes of busy work must give at least one
        StepProfile.Split split = null;
        for (int attempt = 0; attempt < 5 && (split == null || split.samples() == 0); attempt++) {
            split = StepProfile.of(() -> {
                long end = System.nanoTime() + 400_000_000L;
                double x = 0;
                while (System.nanoTime() < end) {
                    x += Math.sqrt(x + 1);
                }
                assertThat(x).isPositive();
            }, Duration.ofMillis(5));
        }
        assertThat(split.samples()).isPositive();
        assertThat(split.shares().keySet()).containsExactlyElementsOf(StepProfile.PHASES);
        assertThat(split.shares().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(split.shares().get("other")).isEqualTo(1.0);
    }
}
