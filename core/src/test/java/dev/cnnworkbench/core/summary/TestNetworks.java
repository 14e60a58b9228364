package dev.cnnworkbench.core.summary;

import dev.cnnworkbench.core.engine.GraphAssembly;
import dev.cnnworkbench.core.experiment.Experiment;
import dev.cnnworkbench.core.experiment.ResolvedPlugin;
import dev.cnnworkbench.core.plugin.ConstantTestSchedule;
import dev.cnnworkbench.core.plugin.LambdaLayer;
import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.core.plugin.OptimizerPlugin;
import dev.cnnworkbench.core.plugin.ParamSpec;
import dev.cnnworkbench.core.plugin.Params;
import dev.cnnworkbench.core.spec.DataSpec;
import dev.cnnworkbench.core.spec.ExperimentSpec;
import dev.cnnworkbench.core.spec.ModelSpec;
import dev.cnnworkbench.core.spec.PluginRef;
import dev.cnnworkbench.core.spec.RegularizationSpec;
import dev.cnnworkbench.core.spec.TrainSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Experiments for summary tests, built from tiny layer plugins of this test (core cannot see the built-in
 * catalog): {@code net(3, 32, 32).conv(10, 5, 1, 2).output(10).build()}.
 */
final class TestNetworks {

    private final List<Integer> input;
    private final List<ResolvedPlugin<LayerPlugin>> layers = new ArrayList<>();

    private TestNetworks(int channels, int height, int width) {
        input = List.of(channels, height, width);
    }

    static TestNetworks net(int channels, int height, int width) {
        return new TestNetworks(channels, height, width);
    }

    TestNetworks conv(int filters, int kernel, int stride, int padding) {
        return add("conv2d", (g, p) -> g.addLayer("conv", new ConvolutionLayer.Builder(kernel, kernel)
                .nOut(filters).stride(stride, stride).padding(padding, padding)
                .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build()));
    }

    TestNetworks dilatedConv(int filters, int kernel, int dilation) {
        return add("conv2d", (g, p) -> g.addLayer("conv", new ConvolutionLayer.Builder(kernel, kernel)
                .nOut(filters).dilation(dilation, dilation).convolutionMode(ConvolutionMode.Same).build()));
    }

    TestNetworks maxpool(int kernel, int stride) {
        return add("maxpool", (g, p) -> g.addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX)
                .kernelSize(kernel, kernel).stride(stride, stride).build()));
    }

    TestNetworks batchnorm() {
        return add("batchnorm", (g, p) -> g.addLayer("bn", new BatchNormalization.Builder().build()));
    }

    /** Two same-padded 3x3 convolutions without bias and an identity shortcut: a residual block's skeleton. */
    TestNetworks block(int filters) {
        return add("block", (g, p) -> {
            String in = g.head();
            g.addLayer("blk_conv", conv3(filters));
            String residual = g.addLayer("blk_conv", conv3(filters));
            g.addVertex("blk_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), residual, in);
        });
    }

    private static ConvolutionLayer conv3(int filters) {
        return new ConvolutionLayer.Builder(3, 3).nOut(filters).hasBias(false)
                .convolutionMode(ConvolutionMode.Same).build();
    }

    TestNetworks dense(int units) {
        return add("dense", (g, p) -> g.addLayer("dense", new DenseLayer.Builder().nOut(units).build()));
    }

    /** {@code units} 0 means one per class, as the built-in output layer does. */
    TestNetworks output(int units) {
        return add("output", (g, p) -> g.addLayer("output",
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(units == 0 ? g.classes() : units).build()));
    }

    private TestNetworks add(String name, BiConsumer<GraphAssembly, Params> body) {
        LayerPlugin plugin = new LambdaLayer(name, body);
        layers.add(new ResolvedPlugin<>(plugin, Params.of(Map.of()), "model.layers[" + layers.size() + "]"));
        return this;
    }

    Experiment build() {
        ExperimentSpec spec = new ExperimentSpec("summary-test", "summary-test",
                new DataSpec("fashion-mnist", DataSpec.DEFAULT_PATH, 0, 0),
                new ModelSpec(input, "xavier", layers.stream().map(l -> PluginRef.of(l.plugin().name())).toList()),
                PluginRef.of("sgd"), PluginRef.of("constant"), new RegularizationSpec(0, 0), List.of(),
                new TrainSpec(1, 32, 42, 0));
        return new Experiment(spec, layers, new ResolvedPlugin<>(SGD, Params.of(Map.of()), "optimizer"),
                new ResolvedPlugin<>(ConstantTestSchedule.INSTANCE, Params.of(Map.of()), "schedule"), List.of());
    }

    private static final OptimizerPlugin SGD = new OptimizerPlugin() {
        @Override
        public String name() {
            return "sgd";
        }

        @Override
        public String help() {
            return "test sgd";
        }

        @Override
        public List<ParamSpec> params() {
            return List.of();
        }

        @Override
        public double learningRate(Params params) {
            return 0.1;
        }

        @Override
        public IUpdater build(Params params, ISchedule learningRate) {
            return new Sgd(learningRate);
        }
    };
}

