package dev.cnnworkbench.plugins.layers;

import dev.cnnworkbench.core.engine.PluginGraphs;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Every built-in layer passes a numerical gradient check on tiny inputs in double precision. */
class LayerGradientTest {

    private static DataType savedDefault;
    private static DataType savedFloat;

    @BeforeAll
    static void doublePrecision() {
        savedDefault = Nd4j.dataType();
        savedFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(savedDefault, savedFloat);
    }

    private static final int N = 3;
    private static final int CLASSES = 3;

    private static INDArray input(int c, int h, int w) {
        Nd4j.getRandom().setSeed(42);
        return Nd4j.randn(DataType.DOUBLE, N, c, h, w);
    }

    private static INDArray oneHot() {
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, N, CLASSES);
        for (int i = 0; i < N; i++) {
            labels.putScalar(i, i % CLASSES, 1.0);
        }
        return labels;
    }

    private static void check(String what, PluginGraphs graph, INDArray labels) {
        ComputationGraph net = graph.classes(CLASSES).build();
        GradientChecks.assertGradientsMatch(what, net, input(2, 6, 6), labels);
    }

    private static void check(String what, PluginGraphs graph) {
        check(what, graph, oneHot());
    }

    private static final Map<String, Object> CONV = Map.of("filters", 3, "kernel", 3, "activation", "tanh");

    @Test
    void conv2d() {
        check("conv2d", PluginGraphs.of().layer(new Conv2dLayer(), CONV).layer(new OutputLayer(), Map.of()));
        check("conv2d same stride 2", PluginGraphs.of()
                .layer(new Conv2dLayer(), Map.of("filters", 2, "kernel", 3, "stride", 2, "padding", "same",
                        "activation", "sigmoid"))
                .layer(new OutputLayer(), Map.of()));
        check("conv2d 1x1", PluginGraphs.of()
                .layer(new Conv2dLayer(), Map.of("filters", 2, "kernel", 1, "activation", "tanh"))
                .layer(new OutputLayer(), Map.of()));
    }

    @Test
    void pooling() {
        check("maxpool", PluginGraphs.of().layer(new Conv2dLayer(), CONV)
                .layer(new PoolingLayers.Max(), Map.of()).layer(new OutputLayer(), Map.of()));
        check("avgpool", PluginGraphs.of().layer(new Conv2dLayer(), CONV)
                .layer(new PoolingLayers.Avg(), Map.of()).layer(new OutputLayer(), Map.of()));
        check("globalavgpool", PluginGraphs.of().layer(new Conv2dLayer(), CONV)
                .layer(new GlobalAvgPoolLayer(), Map.of()).layer(new OutputLayer(), Map.of()));
    }

    @Test
    void denseAndFlatten() {
        check("dense", PluginGraphs.of().layer(new DenseLayer(), Map.of("units", 5, "activation", "tanh"))
                .layer(new OutputLayer(), Map.of()));
        check("flatten", PluginGraphs.of().layer(new Conv2dLayer(), CONV).layer(new FlattenLayer(), Map.of())
                .layer(new ActivationLayer(), Map.of("fn", "softmax")).layer(new OutputLayer(), Map.of()));
    }

    /*
     * Batch norm's running averages are parameters whose "gradient" is their running-average update and whose
     * numerical gradient is 0 (they do not enter the training-mode loss). With decay 1 that update is 0 too, so
     * the check covers every other parameter without excluding any by name: DL4J's check maps names onto the
     * flattened parameters in vertex order, which is not the flattening (topological) order once a graph
     * branches, as a projection shortcut does.
     */
    private static final Map<String, Object> FROZEN_AVERAGES = Map.of("decay", 1.0);

    @Test
    void batchnorm() {
        check("batchnorm conv", PluginGraphs.of().layer(new Conv2dLayer(), CONV)
                .layer(new BatchNormLayer(), FROZEN_AVERAGES)
                .layer(new ActivationLayer(), Map.of("fn", "tanh")).layer(new OutputLayer(), Map.of()));
        check("batchnorm dense", PluginGraphs.of().layer(new DenseLayer(), Map.of("units", 4))
                .layer(new BatchNormLayer(), FROZEN_AVERAGES).layer(new OutputLayer(), Map.of()));
    }

    @Test
    void residualWithIdentityShortcut() {
        check("residual identity", PluginGraphs.of().layer(new Conv2dLayer(), Map.of("filters", 2, "kernel", 1))
                .layer(new ResidualBlock(), Map.of("filters", 2, "decay", 1.0)).layer(new OutputLayer(), Map.of()));
    }

    @Test
    void residualWithProjectionShortcut() {
        check("residual projection stride 2", PluginGraphs.of()
                .layer(new ResidualBlock(), Map.of("filters", 3, "stride", 2, "decay", 1.0))
                .layer(new OutputLayer(), Map.of()));
    }

    @Test
    void layernorm() {
        check("layernorm conv", PluginGraphs.of().layer(new Conv2dLayer(), CONV).layer(new LayerNormLayer(), Map.of())
                .layer(new OutputLayer(), Map.of()));
        check("layernorm dense", PluginGraphs.of().layer(new DenseLayer(), Map.of("units", 4))
                .layer(new LayerNormLayer(), Map.of()).layer(new OutputLayer(), Map.of()));
    }

    @Test
    void outputLosses() {
        check("output softmax", PluginGraphs.of().layer(new OutputLayer(), Map.of()));
        check("output svm", PluginGraphs.of().layer(new OutputLayer(), Map.of("loss", "svm")));
        Nd4j.getRandom().setSeed(7);
        INDArray targets = Nd4j.rand(DataType.DOUBLE, N, CLASSES);
        check("output l2", PluginGraphs.of().layer(new OutputLayer(), Map.of("loss", "l2")), targets);
        check("output l1", PluginGraphs.of().layer(new OutputLayer(), Map.of("loss", "l1")), targets);
    }
}
