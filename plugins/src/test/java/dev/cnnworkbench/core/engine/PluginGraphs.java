package dev.cnnworkbench.core.engine;

import dev.cnnworkbench.core.plugin.LayerPlugin;
import dev.cnnworkbench.plugins.TestParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * Tiny networks assembled from layer plugins the way the engine does it ({@link GraphAssembly#over}), for the
 * plugins' tests.
 */
public final class PluginGraphs {

    private final List<Map.Entry<LayerPlugin, Map<String, Object>>> layers = new ArrayList<>();
    private InputType input = InputType.convolutional(6, 6, 2);
    private int classes = 3;
    private IUpdater updater = new NoOp();
    private DataType dataType = DataType.DOUBLE;

    public static PluginGraphs of() {
        return new PluginGraphs();
    }

    public PluginGraphs input(int channels, int height, int width) {
        input = InputType.convolutional(height, width, channels);
        return this;
    }

    public PluginGraphs classes(int n) {
        classes = n;
        return this;
    }

    public PluginGraphs updater(IUpdater u) {
        updater = u;
        return this;
    }

    public PluginGraphs dataType(DataType t) {
        dataType = t;
        return this;
    }

    public PluginGraphs layer(LayerPlugin plugin, Map<String, Object> params) {
        layers.add(Map.entry(plugin, params));
        return this;
    }

    public ComputationGraphConfiguration configuration() {
        GraphBuilder builder = new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(dataType)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs(GraphAssembly.INPUT)
                .setInputTypes(input);
        GraphAssembly graph = GraphAssembly.over(builder, WeightInit.XAVIER.getWeightInitFunction(), classes);
        for (Map.Entry<LayerPlugin, Map<String, Object>> layer : layers) {
            layer.getKey().addTo(graph, TestParams.of(layer.getKey(), layer.getValue()));
        }
        builder.setOutputs(graph.head());
        return builder.build();
    }

    public ComputationGraph build() {
        ComputationGraph net = new ComputationGraph(configuration());
        net.init();
        return net;
    }
}
