package dev.cnnworkbench.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cnnworkbench.core.bench.TrainBenchmark;
import dev.cnnworkbench.core.engine.NetworkFactory;
import dev.cnnworkbench.core.experiment.SpecResolver;
import dev.cnnworkbench.core.plugin.PluginRegistry;
import dev.cnnworkbench.core.spec.SpecParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ResNet-20's convolutions get DL4J's oneDNN helpers on a oneDNN native build (M2.1 turns the helpers off by default
 * and its availability check needs the {@code Nd4jCpu} shim), its batch norms the workbench's own kernel with oneDNN's
 * behind it, its relu layers the workbench's own implementation; its residual sums have no helper in M2.1 and run as
 * ND4J ops. Skipped on a native build without oneDNN.
 */
class LayerHelpersTest {

    @Test
    void resnetConvolutionsRunOnOneDnnAndBatchNormsAndRelusOnTheWorkbenchsKernels() {
        var spec = new SpecParser().parseFile(Path.of("cifar10-resnet.json"), List.of());
        var net = NetworkFactory.build(new SpecResolver(PluginRegistry.builtin()).resolve(spec), 1, 10);
        assumeTrue(org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo()
                .contains("HAVE_ONEDNN"),
                "the test JVM loaded a native build without oneDNN (its class path lacks the -Dnd4j.extension jar)");
        assertThat(TrainBenchmark.layerHelpers(net)).isEqualTo("""
                  19 x ActivationLayer: JavaReluLayer
                  21 x BatchNormalization: JavaBatchNormHelper (else MKLDNNBatchNormHelper)
                  21 x ConvolutionLayer: MKLDNNConvHelper
                  9 x ElementWiseVertex: built-in
                  1 x GlobalPoolingLayer: built-in
                  1 x OutputLayer: built-in
                """);
    }
}
