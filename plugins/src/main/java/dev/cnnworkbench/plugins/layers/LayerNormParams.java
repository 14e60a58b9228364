package dev.cnnworkbench.plugins.layers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The parameters of {@link LayerNormalization}: {@code gamma} (starting at 1) then {@code beta} (starting at 0),
 * one per channel or feature, as {@code [1, n]} views of the layer's slice of the network's parameters. Neither is
 * a weight or a bias to DL4J, so L1/L2 penalties leave them alone, as they do batch norm's.
 */
final class LayerNormParams implements ParamInitializer {

    static final LayerNormParams INSTANCE = new LayerNormParams();
    static final String GAMMA = "gamma";
    static final String BETA = "beta";

    private LayerNormParams() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return 2 * ((FeedForwardLayer) layer).getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(GAMMA, BETA);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return false;
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> params = views(conf, paramsView);
        if (initializeParams) {
            params.get(GAMMA).assign(1);
            params.get(BETA).assign(0);
        }
        conf.addVariable(GAMMA);
        conf.addVariable(BETA);
        return Collections.synchronizedMap(params);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf, gradientView);
    }

    private static Map<String, INDArray> views(NeuralNetConfiguration conf, INDArray flat) {
        long n = ((FeedForwardLayer) conf.getLayer()).getNOut();
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(GAMMA, row.get(NDArrayIndex.interval(0, n)).reshape(1, n));
        views.put(BETA, row.get(NDArrayIndex.interval(n, 2 * n)).reshape(1, n));
        return views;
    }
}
